import type { Database } from 'better-sqlite3';
import type { RuleRecords, StoredRules } from './rule-records.js';

interface Row {
  camera_id: string;
  rules: string;
  config_sha256: string;
  changed_at: number;
  changed_by: string;
}

const fromRow = (row: Row): StoredRules => ({
  cameraId: row.camera_id,
  rules: JSON.parse(row.rules) as unknown[],
  configSha256: row.config_sha256,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
});

export class SqliteRuleRecords implements RuleRecords {
  constructor(private readonly db: Database) {}

  put(r: StoredRules): void {
    this.db
      .prepare(
        `INSERT INTO camera_rules (camera_id, rules, config_sha256, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (camera_id) DO UPDATE SET rules = excluded.rules, config_sha256 = excluded.config_sha256,
         changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
      )
      .run(r.cameraId, JSON.stringify(r.rules), r.configSha256, r.changedAt, r.changedBy);
  }

  get(cameraId: string): StoredRules | undefined {
    const row = this.db.prepare('SELECT * FROM camera_rules WHERE camera_id = ?').get(cameraId) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): StoredRules[] {
    return (this.db.prepare('SELECT * FROM camera_rules ORDER BY camera_id').all() as Row[]).map(fromRow);
  }

  delete(cameraId: string): void {
    this.db.prepare('DELETE FROM camera_rules WHERE camera_id = ?').run(cameraId);
  }
}
