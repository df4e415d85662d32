import type { TrackView } from '../tracking/index.js';
import type { Polygon } from '../geometry/index.js';
import { centre, inZone } from './helpers.js';

/** Detections a class must have gathered, besides the confirmation time, before it is believed. */
const MIN_HITS = 3;

/** Tracks of the classes seen over at least `confirmSeconds` (and three detections), in the zone. */
export function confirmedOfClasses(tracks: readonly TrackView[], o: { classes: readonly string[]; minConfidence: number; confirmSeconds: number; zone?: Polygon }): TrackView[] {
  return tracks.filter(
    (t) => o.classes.includes(t.label) && t.score >= o.minConfidence && t.hits >= MIN_HITS && t.lastSeen - t.firstSeen >= o.confirmSeconds * 1000 && inZone(o.zone, centre(t)),
  );
}
