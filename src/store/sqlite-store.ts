import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StoreError } from '../errors/index.js';
import { SqliteCameraRecords, type CameraRecords } from './camera-records.js';
import { MIGRATIONS } from './migrations.js';
import type { SecretBox } from './secret-box.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { SqliteDeliveryStore } from './sqlite-delivery-store.js';
import type { DeliveryStore } from './delivery-store.js';
import type { SnapshotRecords } from './snapshot-records.js';
import { SqliteSnapshotRecords } from './sqlite-snapshot-records.js';
import type { RuleRecords } from './rule-records.js';
import { SqliteRuleRecords } from './sqlite-rule-records.js';
import { InThreadDeliveryWriter, type DeliveryWriter } from './delivery-writer.js';
import { ThreadedDeliveryWriter } from './threaded-delivery-writer.js';
import type { AuditLog, Store } from './store.js';

export interface StoreOptions {
  /** Encrypts secrets at rest (camera passwords); without it, secrets are not stored. */
  secrets?: SecretBox;
}

export class SqliteStore implements Store {
  readonly audit: AuditLog;
  readonly cameras: CameraRecords;
  readonly delivery: DeliveryStore;
  readonly snapshots: SnapshotRecords;
  readonly rules: RuleRecords;

  private constructor(
    private readonly db: Database,
    options: StoreOptions,
  ) {
    this.audit = new SqliteAuditLog(db);
    this.cameras = new SqliteCameraRecords(db, options.secrets);
    this.delivery = new SqliteDeliveryStore(db);
    this.snapshots = new SqliteSnapshotRecords(db);
    this.rules = new SqliteRuleRecords(db);
  }

  /** Opens (creating if needed) and migrates the database at `path` (`:memory:` for tests). */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    let db: Database;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new BetterSqlite3(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (cause) {
      throw new StoreError(`cannot open the state database ${path}: ${(cause as Error).message}`, { cause });
    }
    migrate(db);
    return new SqliteStore(db, options);
  }

  transaction<T>(work: () => T): T {
    // IMMEDIATE: take the write lock first, so a transaction that reads then writes (the audit chain's end) never
    // fails with SQLITE_BUSY because another process (a CLI replay beside a running Vigie) committed in between
    return this.db.transaction(work).immediate();
  }

  deliveryWriter(options: { thread?: boolean; onFailure?: (error: Error) => void } = {}): DeliveryWriter {
    if (!options.thread || this.db.memory) return new InThreadDeliveryWriter(this);
    return new ThreadedDeliveryWriter(this, this.db.name, options.onFailure ?? (() => undefined)).start();
  }

  /** For adapters added by later stages (cameras, events, outbox) sharing this connection. */
  get database(): Database {
    return this.db;
  }

  close(): void {
    this.db.close();
  }
}

function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
      })();
    } catch (cause) {
      throw new StoreError(`database migration ${migration.version} (${migration.name}) failed: ${(cause as Error).message}`, { cause });
    }
  }
}
