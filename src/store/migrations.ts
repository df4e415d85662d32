/**
 * Schema migrations, applied in order once each. Portable SQL: TEXT, INTEGER, no AUTOINCREMENT tricks.
 * Later issues append migrations; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit log',
    sql: `
      CREATE TABLE audit_log (
        sequence INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sequence INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'ONVIF cameras (discovered and configured): identity, state, encrypted credentials, chosen stream',
    sql: `
      CREATE TABLE onvif_cameras (
        camera_id TEXT PRIMARY KEY,
        endpoint TEXT UNIQUE,
        origin TEXT NOT NULL,
        xaddr TEXT NOT NULL,
        address TEXT,
        name TEXT NOT NULL,
        manufacturer TEXT,
        model TEXT,
        firmware TEXT,
        serial_number TEXT,
        hardware_id TEXT,
        vendor TEXT,
        scopes TEXT NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        state_since TEXT NOT NULL,
        username TEXT,
        password_enc TEXT,
        auth_mode TEXT,
        clock_offset_ms INTEGER,
        profile_token TEXT,
        stream_uri TEXT,
        snapshot_uri TEXT,
        encoding TEXT,
        width INTEGER,
        height INTEGER,
        fps REAL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        onboarded_at TEXT
      );
      CREATE INDEX onvif_cameras_state ON onvif_cameras (state);
    `,
  },
];
