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
  // 10-19: analytics (issue 6). Evidence snapshots: JPEGs of the frame with boxes and zone, kept with events for
  // rules.evidence.retentionHours (created_at, epoch ms, is what the retention purge compares).
  {
    version: 10,
    name: 'evidence snapshots',
    sql: `
      CREATE TABLE evidence_snapshots (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
      CREATE INDEX evidence_snapshots_created ON evidence_snapshots (created_at);
    `,
  },
  // Rule sets changed while Vigie runs (ONVIF rule operations), kept over restarts; config_sha256 is the hash of the
  // configuration's rules for the camera when the change was made (a later edit of the file wins).
  {
    version: 11,
    name: 'camera rules changed at run time',
    sql: `
      CREATE TABLE camera_rules (
        camera_id TEXT PRIMARY KEY,
        rules TEXT NOT NULL,
        config_sha256 TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        changed_by TEXT NOT NULL
      );
    `,
  },
  // 20-29: events and their delivery (issue 7). The outbox holds one row per event and output; the dead-letter
  // list is the outbox rows in status 'dead'. Times in the outbox are epoch milliseconds (integer comparisons in
  // the dispatcher's hot query); the id orders deliveries per camera.
  {
    version: 20,
    name: 'events, delivery outbox and dead letters',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        camera_id TEXT NOT NULL,
        type TEXT NOT NULL,
        state TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        frame_time TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_recorded ON events (recorded_at);
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        output TEXT NOT NULL,
        event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        camera_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        delivered_at INTEGER,
        dead_at INTEGER,
        last_error_code TEXT,
        last_error TEXT,
        replays INTEGER NOT NULL DEFAULT 0,
        UNIQUE (event_id, output)
      );
      -- partial indexes: the dispatcher's index holds only what is pending, however long the delivered history
      CREATE INDEX outbox_pending ON outbox (output, camera_id, id) WHERE status = 'pending';
      CREATE INDEX outbox_dead ON outbox (id, output) WHERE status = 'dead';
      CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';
      CREATE TABLE delivery_node (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        node_id TEXT NOT NULL,
        owner_pid INTEGER,
        owner_host TEXT,
        owner_token TEXT,
        heartbeat_at INTEGER
      );
    `,
  },
];
