import { containsPoint, type Point, type Polygon } from '../geometry/index.js';
import type { TrackPoint, TrackView } from '../tracking/index.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The tracks of the given classes at or above a confidence. */
export function ofClasses(tracks: readonly TrackView[], classes: readonly string[], minConfidence: number): TrackView[] {
  return tracks.filter((t) => classes.includes(t.label) && t.score >= minConfidence);
}

export function foot(t: TrackView): Point {
  return [(t.box.x1 + t.box.x2) / 2, t.box.y2];
}

export function centre(t: TrackView): Point {
  return [(t.box.x1 + t.box.x2) / 2, (t.box.y1 + t.box.y2) / 2];
}

export function inZone(zone: Polygon | undefined, p: Point): boolean {
  return zone === undefined || containsPoint(zone, p);
}

/**
 * How long the track's ground point has been in the zone without interruption (ms, from its history), and
 * whether it was seen outside before that.
 */
export function zoneStay(track: TrackView, zone: Polygon, now: number): { ms: number; entered: boolean } {
  const h = track.history;
  let since = now;
  for (let i = h.length - 1; i >= 0; i--) {
    const p = h[i]!;
    if (!containsPoint(zone, p.foot)) return { ms: now - since, entered: true };
    since = p.time;
  }
  return { ms: now - since, entered: false };
}

/** The latest history point at or before `time`, or undefined. */
export function pointAt(track: TrackView, time: number): TrackPoint | undefined {
  const h = track.history;
  for (let i = h.length - 1; i >= 0; i--) if (h[i]!.time <= time) return h[i];
  return undefined;
}

/** Speed of the ground point over the last `windowMs` (normalised units per second), from the history. */
export function recentSpeed(track: TrackView, now: number, windowMs: number): number {
  const h = track.history;
  if (h.length < 2) return 0;
  const last = h[h.length - 1]!;
  let first = last;
  for (let i = h.length - 2; i >= 0; i--) {
    first = h[i]!;
    if (now - first.time >= windowMs) break;
  }
  const dt = (last.time - first.time) / 1000;
  if (dt <= 0) return 0;
  return Math.hypot(last.foot[0] - first.foot[0], last.foot[1] - first.foot[1]) / dt;
}

/** Numeric fields of a rule configuration: its thresholds. */
export function numericFields(config: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(config)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** Forgets per-track state of tracks not seen for a while. */
export function prune<T extends { seen: number }>(state: Map<number, T>, now: number, keepMs = 60_000): void {
  for (const [id, s] of state) if (now - s.seen > keepMs) state.delete(id);
}
