import type { Database } from 'better-sqlite3';
import type { SnapshotRecord, SnapshotRecords } from './snapshot-records.js';

interface Row {
  id: string;
  camera_id: string;
  incident_id: string;
  created_at: number;
  content_type: string;
  bytes: Buffer;
}

export class SqliteSnapshotRecords implements SnapshotRecords {
  constructor(private readonly db: Database) {}

  put(r: SnapshotRecord): void {
    this.db
      .prepare('INSERT INTO evidence_snapshots (id, camera_id, incident_id, created_at, content_type, bytes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(r.id, r.cameraId, r.incidentId, r.createdAt, r.contentType, Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
  }

  get(id: string): SnapshotRecord | undefined {
    const row = this.db.prepare('SELECT * FROM evidence_snapshots WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    return { id: row.id, cameraId: row.camera_id, incidentId: row.incident_id, createdAt: row.created_at, contentType: row.content_type, bytes: new Uint8Array(row.bytes) };
  }

  purge(before: number): string[] {
    return this.db.transaction(() => {
      const ids = (this.db.prepare('SELECT id FROM evidence_snapshots WHERE created_at < ?').all(before) as { id: string }[]).map((r) => r.id);
      if (ids.length > 0) this.db.prepare('DELETE FROM evidence_snapshots WHERE created_at < ?').run(before);
      return ids;
    })();
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM evidence_snapshots').get() as { n: number }).n;
  }
}
