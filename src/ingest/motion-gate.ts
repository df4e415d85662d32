import type { FrameGeometry } from '../frames/index.js';
import type { IngestSettings } from './settings.js';

/** Size of the grey copy motion is measured on. */
export const MOTION_GRID = { width: 64, height: 48 } as const;

export type MotionDecision = 'motion' | 'forced' | 'skip';

/**
 * Motion gating in front of inference: each frame is reduced to a 64x48 grey copy (one sample per cell of the
 * picture area, the letterbox padding left out), compared with the previous frame's copy; a frame is motion when
 * more than `threshold` of the cells changed by more than `pixelDelta` grey levels. Frames without motion are
 * skipped, except one every `forceIntervalSeconds` so stationary objects (an abandoned bag) are still analysed.
 * Costs a few microseconds per frame and allocates nothing after construction.
 */
export class MotionGate {
  private current = new Uint8Array(MOTION_GRID.width * MOTION_GRID.height);
  private previous = new Uint8Array(MOTION_GRID.width * MOTION_GRID.height);
  private hasPrevious = false;
  private readonly rowOffsets = new Int32Array(MOTION_GRID.height);
  private readonly colOffsets = new Int32Array(MOTION_GRID.width);
  private layout = { width: 0, scaledWidth: 0, scaledHeight: 0 };
  private lastPassed = Number.NEGATIVE_INFINITY;
  /** Fraction of cells that changed on the last frame looked at (0..1). */
  lastChangedFraction = 0;

  constructor(private settings: IngestSettings['motion']) {}

  /** Forget the reference picture (after a reconnect or a geometry change). */
  reset(): void {
    this.hasPrevious = false;
  }

  update(settings: IngestSettings['motion']): void {
    this.settings = settings;
  }

  /**
   * Decides for one frame (`captureTime` in ms). The first frame after a reset always passes (as motion: nothing
   * to compare it with).
   */
  decide(data: Buffer, geometry: FrameGeometry & { scaledWidth: number; scaledHeight: number }, captureTime: number): MotionDecision {
    if (!this.settings.enabled) {
      this.lastPassed = captureTime;
      return 'motion';
    }
    this.sample(data, geometry);
    let decision: MotionDecision;
    if (!this.hasPrevious) decision = 'motion';
    else {
      const changed = this.changedCells();
      this.lastChangedFraction = changed / this.current.length;
      if (this.lastChangedFraction > this.settings.threshold) decision = 'motion';
      else if (captureTime - this.lastPassed >= this.settings.forceIntervalSeconds * 1000) decision = 'forced';
      else decision = 'skip';
    }
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    this.hasPrevious = true;
    if (decision !== 'skip') this.lastPassed = captureTime;
    return decision;
  }

  private sample(data: Buffer, g: { width: number; scaledWidth: number; scaledHeight: number }): void {
    const { width: gw, height: gh } = MOTION_GRID;
    if (g.width !== this.layout.width || g.scaledWidth !== this.layout.scaledWidth || g.scaledHeight !== this.layout.scaledHeight) this.plan(g);
    const rowBytes = g.width * 3;
    const down = g.scaledHeight > 1 ? rowBytes : 0;
    const right = g.scaledWidth > 1 ? 3 : 0;
    const rows = this.rowOffsets;
    const cols = this.colOffsets;
    const out = this.current;
    for (let y = 0; y < gh; y += 1) {
      const top = rows[y]!;
      const base = y * gw;
      for (let x = 0; x < gw; x += 1) {
        // A 2x2 average (less sensitive to coding noise than one pixel) of (B + 2G + R) / 4: a luma close enough
        // for differencing, whichever of bgr24 / rgb24 the frame is.
        const a = top + cols[x]!;
        const b = a + right;
        const c = a + down;
        const d = c + right;
        out[base + x] =
          (data[a]! + 2 * data[a + 1]! + data[a + 2]! + data[b]! + 2 * data[b + 1]! + data[b + 2]! + data[c]! + 2 * data[c + 1]! + data[c + 2]! + data[d]! + 2 * data[d + 1]! + data[d + 2]!) >> 4;
      }
    }
  }

  /** Where each grey cell samples the frame, computed once per geometry. */
  private plan(g: { width: number; scaledWidth: number; scaledHeight: number }): void {
    const { width: gw, height: gh } = MOTION_GRID;
    const lastX = Math.max(0, g.scaledWidth - 2);
    const lastY = Math.max(0, g.scaledHeight - 2);
    for (let y = 0; y < gh; y += 1) this.rowOffsets[y] = Math.min(lastY, Math.floor(((y + 0.5) * g.scaledHeight) / gh)) * g.width * 3;
    for (let x = 0; x < gw; x += 1) this.colOffsets[x] = Math.min(lastX, Math.floor(((x + 0.5) * g.scaledWidth) / gw)) * 3;
    this.layout = { width: g.width, scaledWidth: g.scaledWidth, scaledHeight: g.scaledHeight };
  }

  private changedCells(): number {
    const delta = this.settings.pixelDelta;
    const a = this.current;
    const b = this.previous;
    let changed = 0;
    for (let i = 0; i < a.length; i += 1) {
      const d = a[i]! - b[i]!;
      if (d > delta || d < -delta) changed += 1;
    }
    return changed;
  }
}

