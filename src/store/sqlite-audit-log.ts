import type { Database, Statement } from 'better-sqlite3';
import { AuditChainError } from '../errors/index.js';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-hash.js';
import type { AuditEntry, AuditLog, AuditRecord } from './store.js';

interface Row {
  sequence: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export class SqliteAuditLog implements AuditLog {
  private statements: { last: Statement; anchor: Statement; insert: Statement } | undefined;

  constructor(private readonly db: Database) {}

  append(entry: AuditEntry): AuditRecord {
    return this.appendMany([entry])[0]!;
  }

  appendMany(entries: readonly AuditEntry[]): AuditRecord[] {
    // prepared once: appends are on the delivery hot path (one per delivered event)
    this.statements ??= {
      last: this.db.prepare('SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1'),
      anchor: this.db.prepare('SELECT sequence, hash FROM audit_anchor WHERE id = 1'),
      insert: this.db.prepare('INSERT INTO audit_log (sequence, at, actor, action, object, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    const statements = this.statements;
    return this.db.transaction((): AuditRecord[] => {
      const last = statements.last.get() as { sequence: number; hash: string } | undefined;
      const anchor = last ?? (statements.anchor.get() as { sequence: number; hash: string } | undefined);
      let prevHash = anchor?.hash ?? GENESIS_HASH;
      let sequence = anchor?.sequence ?? 0;
      return entries.map((entry) => {
        sequence++;
        const fields = {
          sequence,
          at: (entry.at ?? new Date()).toISOString(),
          actor: entry.actor,
          action: entry.action,
          object: entry.object,
          details: canonicalJson(entry.details ?? {}),
        };
        const hash = auditHash(prevHash, fields);
        statements.insert.run(fields.sequence, fields.at, fields.actor, fields.action, fields.object, fields.details, prevHash, hash);
        prevHash = hash;
        return { ...fields, details: entry.details ?? {}, hash };
      });
    }).immediate(); // write lock before reading the chain's end: another process may append at the same time
  }

  list(options: { since?: Date; limit?: number; action?: string } = {}): AuditRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.since) {
      where.push('at >= ?');
      params.push(options.since.toISOString());
    }
    if (options.action) {
      where.push('action = ?');
      params.push(options.action);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sequence LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, options.limit ?? 1000) as Row[];
    return rows.map((r) => ({ sequence: r.sequence, at: r.at, actor: r.actor, action: r.action, object: r.object, details: JSON.parse(r.details) as Record<string, unknown>, hash: r.hash }));
  }

  verify(): number {
    const anchor = this.db.prepare('SELECT sequence, hash FROM audit_anchor WHERE id = 1').get() as { sequence: number; hash: string } | undefined;
    let prevHash = anchor?.hash ?? GENESIS_HASH;
    let expected = (anchor?.sequence ?? 0) + 1;
    let checked = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY sequence').iterate() as IterableIterator<Row>) {
      if (row.sequence !== expected) throw new AuditChainError(expected, `record ${expected} is missing (next found: ${row.sequence})`);
      if (row.prev_hash !== prevHash) throw new AuditChainError(row.sequence, 'its link to the previous record does not match');
      const hash = auditHash(prevHash, { sequence: row.sequence, at: row.at, actor: row.actor, action: row.action, object: row.object, details: row.details });
      if (hash !== row.hash) throw new AuditChainError(row.sequence, 'its content does not match its hash');
      prevHash = row.hash;
      expected++;
      checked++;
    }
    return checked;
  }

  purge(before: Date): number {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT sequence, hash FROM audit_log WHERE at < ? ORDER BY sequence DESC LIMIT 1').get(before.toISOString()) as
        | { sequence: number; hash: string }
        | undefined;
      if (!last) return 0;
      const { changes } = this.db.prepare('DELETE FROM audit_log WHERE sequence <= ?').run(last.sequence);
      this.db
        .prepare('INSERT INTO audit_anchor (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash')
        .run(last.sequence, last.hash);
      return changes;
    })();
  }
}
