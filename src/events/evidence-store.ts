import type { Logger } from '../logging/index.js';
import type { Point, Polygon } from '../geometry/index.js';
import type { NormalizedBox, SnapshotSource } from '../sdk/index.js';
import type { Store } from '../store/index.js';
import { encodeJpeg } from './jpeg.js';
import { COLOURS, drawBox, drawLine, drawPolygon, type Picture } from './snapshot-image.js';
import { uuidv7 } from './uuid.js';

export interface EvidenceOptions {
  store: Store;
  logger: Logger;
  /** Snapshots older than this are deleted (rules.evidence.retentionHours). */
  retentionHours: number;
  /** fr-vsa: every image stored or erased is written to the audit log. */
  audit: boolean;
  /** For tests. */
  now?: () => number;
}

/**
 * Evidence snapshots: the frame of an incident's start with the objects' boxes and the rule's zone or line drawn,
 * encoded as JPEG (ffmpeg) and kept in the state database for `retentionHours`. It is the SnapshotSource delivery
 * plugins read (`PluginContext.loadSnapshot`). Failures are logged and never stop the event.
 */
export class EvidenceStore implements SnapshotSource {
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: EvidenceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Purges expired snapshots now and every tenth of the retention (at most hourly). */
  start(): void {
    this.purgeExpired();
    const every = Math.min(3_600_000, Math.max(1000, (this.options.retentionHours * 3_600_000) / 10));
    this.timer = setInterval(() => this.purgeExpired(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Draws, encodes and stores a snapshot; its id, or undefined when it could not be made (logged). */
  async capture(
    picture: Picture,
    drawing: { boxes: readonly NormalizedBox[]; zone?: Polygon; line?: readonly [Point, Point] },
    meta: { cameraId: string; incidentId: string; ruleName: string },
  ): Promise<string | undefined> {
    if (drawing.zone) drawPolygon(picture, drawing.zone, COLOURS.zone);
    if (drawing.line) drawLine(picture, drawing.line[0], drawing.line[1], COLOURS.line);
    for (const b of drawing.boxes) drawBox(picture, b, COLOURS.object);
    try {
      const bytes = await encodeJpeg(picture);
      const id = uuidv7(this.now());
      this.options.store.snapshots.put({ id, cameraId: meta.cameraId, incidentId: meta.incidentId, createdAt: this.now(), contentType: 'image/jpeg', bytes });
      if (this.options.audit) {
        this.options.store.audit.append({ actor: 'system', action: 'image.collected', object: id, details: { camera: meta.cameraId, incident: meta.incidentId, rule: meta.ruleName, bytes: bytes.length } });
      }
      return id;
    } catch (error) {
      this.options.logger.warn({ err: error, camera: meta.cameraId, rule: meta.ruleName }, 'evidence snapshot not stored');
      return undefined;
    }
  }

  loadSnapshot(snapshotId: string): Promise<Uint8Array | undefined> {
    const record = this.options.store.snapshots.get(snapshotId);
    if (!record || record.createdAt < this.now() - this.options.retentionHours * 3_600_000) return Promise.resolve(undefined);
    return Promise.resolve(record.bytes);
  }

  /** Deletes snapshots past the retention; returns how many went. */
  purgeExpired(): number {
    try {
      const ids = this.options.store.snapshots.purge(this.now() - this.options.retentionHours * 3_600_000);
      if (ids.length > 0) {
        this.options.logger.info({ deleted: ids.length, retentionHours: this.options.retentionHours }, 'expired evidence snapshots deleted');
        if (this.options.audit) this.options.store.audit.append({ actor: 'system', action: 'image.erased', object: 'evidence', details: { snapshots: ids, reason: 'retention', retentionHours: this.options.retentionHours } });
      }
      return ids.length;
    } catch (error) {
      this.options.logger.error({ err: error }, 'evidence retention purge failed');
      return 0;
    }
  }
}
