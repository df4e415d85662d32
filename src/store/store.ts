import type { CameraRecords } from './camera-records.js';
import type { SnapshotRecords } from './snapshot-records.js';
import type { RuleRecords } from './rule-records.js';
import type { DeliveryStore, EventRow } from './delivery-store.js';

/**
 * The storage interface: everything that must survive a restart goes through it. SQLite (better-sqlite3) is the
 * default; the SQL is kept portable (no SQLite-only types or upserts beyond ON CONFLICT) so a PostgreSQL adapter
 * can implement the same interface for multi-node sites.
 */
export interface AuditRecord {
  sequence: number;
  /** ISO 8601 UTC time of the operation. */
  at: string;
  /** Who did it: a user name, `system`, or `camera:<id>`. */
  actor: string;
  /** What was done, e.g. `config.loaded`, `alert.raised`, `alert.confirmed`, `image.exported`. */
  action: string;
  /** What it was done to, e.g. a camera id or an event id. */
  object: string;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditEntry {
  actor: string;
  action: string;
  object: string;
  details?: Record<string, unknown>;
  /** Time of the operation; now when omitted. */
  at?: Date;
}

/** Append-only, hash-chained log of processing operations (décret 2023-828 traceability; CNIL logging guidance). */
export interface AuditLog {
  append(entry: AuditEntry): AuditRecord;
  /** Appends several records in one transaction, chained in order (one read of the chain's end, one commit). */
  appendMany(entries: readonly AuditEntry[]): AuditRecord[];
  list(options?: { since?: Date; limit?: number; action?: string }): AuditRecord[];
  /** Walks the chain; throws AuditChainError at the first record that does not match. Returns the number checked. */
  verify(): number;
  /** Deletes records older than `before`; the chain restarts from a recorded anchor. Returns how many went. */
  purge(before: Date): number;
}

/**
 * The writes of the delivery hot path (events recorded at publish, delivered marks with their audit records), each
 * durable when its promise resolves. Either run at once on the caller's connection (`InThreadDeliveryWriter`) or
 * on a connection of their own in a worker thread (`ThreadedDeliveryWriter`), so that the thread that does the
 * HTTP of delivery does not also do the SQLite work.
 */
export interface DeliveryWriter {
  /** Records the events and queues them for their outputs (one transaction); per event, whether it was new. */
  recordEvents(rows: readonly EventRow[], now: number): Promise<boolean[]>;
  /** Marks outbox entries delivered and appends their audit records, in one transaction. */
  markDelivered(ids: readonly number[], audits: readonly AuditEntry[], now: number): Promise<void>;
  /** Resolves once the writer takes writes without delay (its thread is up, or has failed and it writes here). */
  ready(): Promise<void>;
  /** Waits for the writes already asked for, then releases the thread (if any). */
  close(): Promise<void>;
}

export interface Store {
  readonly audit: AuditLog;
  /** ONVIF cameras (discovered and configured) with their state and encrypted credentials. */
  readonly cameras: CameraRecords;
  /** Events and their delivery outbox (issue 7). */
  readonly delivery: DeliveryStore;
  /** Evidence snapshots of events (issue 6). */
  readonly snapshots: SnapshotRecords;
  /** Rule sets changed at run time (ONVIF), kept over restarts. */
  readonly rules: RuleRecords;
  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T;
  /**
   * The writer of delivery's hot path (events at publish, delivered marks and their audit records). `thread`: on a
   * connection of its own in a worker thread where the database is a file (in this thread otherwise); `onFailure`
   * hears of a thread that failed (writes then continue in this thread). Closed by its user before the store.
   */
  deliveryWriter(options?: { thread?: boolean; onFailure?: (error: Error) => void }): DeliveryWriter;
  close(): void;
}
