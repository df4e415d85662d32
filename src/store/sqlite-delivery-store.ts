import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { AnalyticsEvent } from '../sdk/index.js';
import { eventRow, type DeadLetter, type DeliveryStore, type DispatchOwner, type EventRow, type FailureUpdate, type OutboxCounts, type OutboxEntry, type OutboxStatus } from './delivery-store.js';

interface EntryRow {
  id: number;
  output: string;
  event_id: string;
  camera_id: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
  dead_at: number | null;
  last_error_code: string | null;
  last_error: string | null;
  replays: number;
}

type Row = { output: string; status: 'pending' | 'dead'; n: number; oldest: number };

const HEADS = `
  SELECT o.* FROM outbox o
  JOIN (SELECT MIN(id) AS id FROM outbox WHERE output = ? AND status = 'pending' GROUP BY camera_id) h ON h.id = o.id`;

/** DeliveryStore on the store's SQLite connection. Statements are prepared once, on first use. */
export class SqliteDeliveryStore implements DeliveryStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  recordEvents(batch: readonly { event: AnalyticsEvent; outputs: readonly string[]; json?: string }[], now: number): boolean[] {
    return this.recordRows(
      batch.map(({ event, outputs, json }) => eventRow(event, outputs, json)),
      now,
    );
  }

  recordRows(rows: readonly EventRow[], now: number): boolean[] {
    return this.db.transaction(() => rows.map((row) => this.insertEvent(row, now)))();
  }

  recordEvent(event: AnalyticsEvent, outputs: readonly string[], now: number): boolean {
    return this.recordRows([eventRow(event, outputs)], now)[0]!;
  }

  /** The inserts of one event, inside the caller's transaction (no savepoint per event). */
  private insertEvent(row: EventRow, now: number): boolean {
    const inserted = this.sql(
      `INSERT INTO events (id, incident_id, camera_id, type, state, sequence, frame_time, recorded_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ).run(row.id, row.incidentId, row.cameraId, row.type, row.state, row.sequence, row.frameTime, now, row.body);
    if (inserted.changes === 0) return false;
    const queue = this.sql(
      `INSERT INTO outbox (output, event_id, camera_id, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    for (const output of row.outputs) queue.run(output, row.id, row.cameraId, now, now, now);
    return true;
  }

  getEvent(id: string): AnalyticsEvent | undefined {
    const row = this.sql('SELECT body FROM events WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as AnalyticsEvent) : undefined;
  }

  getEntry(id: number): OutboxEntry | undefined {
    const row = this.sql('SELECT * FROM outbox WHERE id = ?').get(id) as EntryRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  dueHeads(output: string, now: number, limit: number, busyCameras: ReadonlySet<string>): OutboxEntry[] {
    const rows = this.sql(`${HEADS} WHERE o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`).all(output, now, limit + busyCameras.size) as EntryRow[];
    return rows.filter((r) => !busyCameras.has(r.camera_id)).slice(0, limit).map(toEntry);
  }

  pendingHeads(output: string, limit: number): OutboxEntry[] {
    return (this.sql(`${HEADS} ORDER BY o.id LIMIT ?`).all(output, limit) as EntryRow[]).map(toEntry);
  }

  headOf(output: string, cameraId: string, afterId = 0): OutboxEntry | undefined {
    const row = this.sql(`SELECT * FROM outbox WHERE output = ? AND status = 'pending' AND camera_id = ? AND id > ? ORDER BY id LIMIT 1`).get(output, cameraId, afterId) as
      | EntryRow
      | undefined;
    return row ? toEntry(row) : undefined;
  }

  nextOf(output: string, cameraId: string, afterId: number, limit: number): OutboxEntry[] {
    return (
      this.sql(`SELECT * FROM outbox WHERE output = ? AND status = 'pending' AND camera_id = ? AND id > ? ORDER BY id LIMIT ?`).all(output, cameraId, afterId, limit) as EntryRow[]
    ).map(toEntry);
  }

  pendingCameras(output: string): string[] {
    return (this.sql(`SELECT DISTINCT camera_id FROM outbox WHERE output = ? AND status = 'pending'`).all(output) as { camera_id: string }[]).map((r) => r.camera_id);
  }

  nextDueAt(output: string, busyCameras: ReadonlySet<string>): number | undefined {
    const rows = this.sql(`${HEADS} ORDER BY o.next_attempt_at LIMIT ?`).all(output, busyCameras.size + 1) as EntryRow[];
    return rows.find((r) => !busyCameras.has(r.camera_id))?.next_attempt_at;
  }

  markDeliveredMany(ids: readonly number[], now: number): void {
    const update = this.sql(`UPDATE outbox SET status = 'delivered', delivered_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`);
    this.db.transaction(() => {
      for (const id of ids) update.run(now, now, id);
    })();
  }

  markDelivered(id: number, now: number): void {
    this.sql(`UPDATE outbox SET status = 'delivered', delivered_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`).run(now, now, id);
  }

  markRetry(id: number, u: FailureUpdate): void {
    this.sql(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
    ).run(u.nextAttemptAt, u.errorCode, u.error, u.now, id);
  }

  markHeld(id: number, u: FailureUpdate): void {
    this.sql(`UPDATE outbox SET next_attempt_at = ?, last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`).run(
      u.nextAttemptAt,
      u.errorCode,
      u.error,
      u.now,
      id,
    );
  }

  markDead(id: number, u: Omit<FailureUpdate, 'nextAttemptAt'>, countAttempt: boolean): void {
    this.sql(
      `UPDATE outbox SET status = 'dead', attempts = attempts + ?, dead_at = ?, last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
    ).run(countAttempt ? 1 : 0, u.now, u.errorCode, u.error, u.now, id);
  }

  listDeadLetters(options: { output?: string; limit?: number } = {}): DeadLetter[] {
    const rows = this.sql(
      `SELECT o.*, e.type AS event_type, e.state AS event_state, e.frame_time AS frame_time FROM outbox o JOIN events e ON e.id = o.event_id
       WHERE o.status = 'dead' AND (? IS NULL OR o.output = ?) ORDER BY o.id LIMIT ?`,
    ).all(options.output ?? null, options.output ?? null, options.limit ?? 1000) as (EntryRow & { event_type: string; event_state: string; frame_time: string })[];
    return rows.map((r) => ({ ...toEntry(r), eventType: r.event_type, eventState: r.event_state, frameTime: r.frame_time }));
  }

  replayDeadLetters(options: { ids?: readonly number[]; output?: string; now: number }): OutboxEntry[] {
    return this.db.transaction(() => {
      const selected = this.selectDead(options);
      const update = this.sql(`UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL, replays = replays + 1, updated_at = ? WHERE id = ?`);
      for (const entry of selected) update.run(options.now, options.now, entry.id);
      return selected;
    })();
  }

  discardDeadLetters(options: { ids?: readonly number[]; output?: string }): OutboxEntry[] {
    return this.db.transaction(() => {
      const selected = this.selectDead(options);
      const remove = this.sql('DELETE FROM outbox WHERE id = ?');
      for (const entry of selected) remove.run(entry.id);
      return selected;
    })();
  }

  countsByOutput(): Map<string, OutboxCounts> {
    // one query per status, so each uses its partial index
    const rows = [
      ...(this.sql(`SELECT output, 'pending' AS status, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending' GROUP BY output`).all() as Row[]),
      ...(this.sql(`SELECT output, 'dead' AS status, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'dead' GROUP BY output`).all() as Row[]),
    ];
    const counts = new Map<string, OutboxCounts>();
    for (const r of rows) {
      const c = counts.get(r.output) ?? { pending: 0, dead: 0, oldestPendingAt: undefined };
      c[r.status] = r.n;
      if (r.status === 'pending') c.oldestPendingAt = r.oldest;
      counts.set(r.output, c);
    }
    return counts;
  }

  purgeDelivered(before: number): { entries: number; events: number } {
    return this.db.transaction(() => {
      const entries = this.sql(`DELETE FROM outbox WHERE status = 'delivered' AND delivered_at < ?`).run(before).changes;
      const events = this.sql(`DELETE FROM events WHERE recorded_at < ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = events.id)`).run(before).changes;
      return { entries, events };
    })();
  }

  nodeId(): string {
    const row = this.sql('SELECT node_id FROM delivery_node WHERE id = 1').get() as { node_id: string } | undefined;
    if (row) return row.node_id;
    const id = randomUUID();
    this.sql('INSERT INTO delivery_node (id, node_id) VALUES (1, ?) ON CONFLICT (id) DO NOTHING').run(id);
    return (this.sql('SELECT node_id FROM delivery_node WHERE id = 1').get() as { node_id: string }).node_id;
  }

  claimDispatch(owner: DispatchOwner, now: number, isHeld: (holder: DispatchOwner & { heartbeatAt: number }) => boolean): (DispatchOwner & { heartbeatAt: number }) | undefined {
    this.nodeId(); // the row exists
    return this.db.transaction(() => {
      const row = this.sql('SELECT owner_pid, owner_host, owner_token, heartbeat_at FROM delivery_node WHERE id = 1').get() as {
        owner_pid: number | null;
        owner_host: string | null;
        owner_token: string | null;
        heartbeat_at: number | null;
      };
      if (row.owner_pid !== null && row.owner_host !== null && row.owner_token !== owner.token) {
        const holder = { pid: row.owner_pid, host: row.owner_host, token: row.owner_token ?? '', heartbeatAt: row.heartbeat_at ?? 0 };
        if (isHeld(holder)) return holder;
      }
      this.sql('UPDATE delivery_node SET owner_pid = ?, owner_host = ?, owner_token = ?, heartbeat_at = ? WHERE id = 1').run(owner.pid, owner.host, owner.token, now);
      return undefined;
    }).immediate();
  }

  heartbeatDispatch(owner: DispatchOwner, now: number): void {
    this.sql('UPDATE delivery_node SET heartbeat_at = ? WHERE id = 1 AND owner_token = ?').run(now, owner.token);
  }

  releaseDispatch(owner: DispatchOwner): void {
    this.sql('UPDATE delivery_node SET owner_pid = NULL, owner_host = NULL, owner_token = NULL, heartbeat_at = NULL WHERE id = 1 AND owner_token = ?').run(owner.token);
  }

  private selectDead(options: { ids?: readonly number[]; output?: string }): OutboxEntry[] {
    const rows = this.sql(`SELECT * FROM outbox WHERE status = 'dead' AND (? IS NULL OR output = ?) ORDER BY id`).all(options.output ?? null, options.output ?? null) as EntryRow[];
    const wanted = options.ids && options.ids.length > 0 ? new Set(options.ids) : undefined;
    return rows.filter((r) => !wanted || wanted.has(r.id)).map(toEntry);
  }

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

function toEntry(r: EntryRow): OutboxEntry {
  return {
    id: r.id,
    output: r.output,
    eventId: r.event_id,
    cameraId: r.camera_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at ?? undefined,
    deadAt: r.dead_at ?? undefined,
    lastErrorCode: r.last_error_code ?? undefined,
    lastError: r.last_error ?? undefined,
    replays: r.replays,
  };
}
