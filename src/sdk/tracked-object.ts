import type { NormalizedBox } from './detection.js';

/** An object followed over time on one camera. Track ids are per camera and never reused within a run. */
export interface TrackedObject {
  trackId: number;
  label: string;
  classId: number;
  /** Confidence of the latest matched detection, 0..1. */
  score: number;
  /** Latest box, normalised to the frame. */
  box: NormalizedBox;
  /** Velocity of the box centre in normalised units per second (x right, y down). */
  velocity: { x: number; y: number };
  /** Epoch milliseconds of the first and latest detections matched to this track. */
  firstSeen: number;
  lastSeen: number;
  /** Confirmed tracks have been seen long enough to be trusted by rules. */
  confirmed: boolean;
}
