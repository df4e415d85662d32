import type { RuleConfig } from '../config/index.js';
import type { Point, Polygon } from '../geometry/index.js';
import type { EventType } from '../sdk/index.js';
import type { TrackView } from '../tracking/index.js';

/** What a rule sees on each analysed frame of its camera. */
export interface RuleInput {
  cameraId: string;
  /** Capture time of the frame, epoch milliseconds. Rules measure every duration on this clock. */
  time: number;
  /** Camera picture size in pixels (normalised boxes to aspect ratios). */
  width: number;
  height: number;
  /** Confirmed tracks: visible on this frame, or coasting (not seen since `lastSeen`). */
  tracks: readonly TrackView[];
}

/**
 * A condition a rule finds true on a frame. The events stage turns observations into incidents: one incident per
 * `key` (a track, or the whole zone), started once the condition has held `debounceSeconds`, ended once it has been
 * gone as long, and not raised again for the same key within `cooldownSeconds`.
 */
export interface Observation {
  /** Identifies the incident within the rule, e.g. `track:12` or `zone`. */
  key: string;
  /** The objects involved. */
  objects: readonly TrackView[];
  /** Counters carried by the event, e.g. `{ inside: 3 }`. */
  counts: Record<string, number>;
  /** One line for an operator. */
  message: string;
  /** A one-off occurrence (a line crossing): starts and ends on this frame, with no debounce. */
  pulse?: boolean;
}

/** Every rule type implements this; one file per type. Rules keep their own per-track state between frames. */
export interface Rule {
  readonly name: string;
  readonly type: EventType;
  readonly config: RuleConfig;
  /** Debounce or not, the conditions true on this frame. */
  evaluate(input: RuleInput): Observation[];
  /** The rule's own thresholds, for the events' provenance. */
  thresholds(): Record<string, number>;
  /** What evidence snapshots draw: the zone or the line. */
  readonly shape: { zone?: Polygon; line?: readonly [Point, Point] };
}

/** Models Vigie runs, with their classes: rules that need a class no model produces refuse to start. */
export interface AvailableModel {
  id: string;
  classes: readonly string[];
}
