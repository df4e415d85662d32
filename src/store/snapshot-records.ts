/** An evidence snapshot as stored: the JPEG of a frame with the event's boxes and zone drawn. */
export interface SnapshotRecord {
  id: string;
  cameraId: string;
  /** Incident the snapshot illustrates. */
  incidentId: string;
  /** Epoch milliseconds the snapshot was stored. */
  createdAt: number;
  contentType: string;
  bytes: Uint8Array;
}

/** Evidence snapshots kept with events, deleted after the evidence retention (rules.evidence.retentionHours). */
export interface SnapshotRecords {
  put(record: SnapshotRecord): void;
  get(id: string): SnapshotRecord | undefined;
  /** Deletes snapshots stored before `before` (epoch ms); returns their ids. */
  purge(before: number): string[];
  count(): number;
}
