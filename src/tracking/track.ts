import type { NormalizedBox, TrackedObject } from '../sdk/index.js';
import { clampBox, toBox, toState } from './box.js';
import { BoxKalman } from './kalman.js';

/** One point of a track's history: what rules read. Positions are normalised; speed in normalised units/s. */
export interface TrackPoint {
  /** Epoch milliseconds of the frame. */
  time: number;
  /** The box (measured when `detected`, else predicted). */
  box: NormalizedBox;
  /** Centre of the box. */
  center: readonly [number, number];
  /** Bottom centre of the box: where a person or vehicle stands on the ground. */
  foot: readonly [number, number];
  /** Speed of the centre (Kalman velocity), normalised units per second. */
  speed: number;
  /** Whether a detection was matched on this frame (false: the track was coasting on its prediction). */
  detected: boolean;
}

/** A track as rules see it: the SDK's TrackedObject plus its history. */
export interface TrackView extends TrackedObject {
  /** Oldest first, one point per analysed frame while the track lives, up to tracking.historySeconds. */
  readonly history: readonly TrackPoint[];
  /** Matched on the current frame (false: not seen since `lastSeen`, position predicted). */
  readonly visible: boolean;
  /** Detections matched so far. */
  readonly hits: number;
}

export type TrackStatus = 'tentative' | 'tracked' | 'lost';

/** A track inside the tracker (mutable). */
export class Track implements TrackView {
  trackId = 0;
  status: TrackStatus = 'tentative';
  score: number;
  box: NormalizedBox;
  velocity = { x: 0, y: 0 };
  lastSeen: number;
  readonly firstSeen: number;
  hits = 1;
  visible = true;
  confirmed = false;
  readonly history: TrackPoint[] = [];
  private readonly kalman: BoxKalman;
  private time: number;

  constructor(
    readonly label: string,
    readonly classId: number,
    box: NormalizedBox,
    score: number,
    time: number,
    /** Internal id, unique per tracker, for tentative tracks (public ids are given at confirmation). */
    readonly key: number,
  ) {
    this.kalman = new BoxKalman(toState(box));
    this.box = clampBox(box);
    this.score = score;
    this.firstSeen = time;
    this.lastSeen = time;
    this.time = time;
  }

  /** The box the filter expects at `time` (epoch ms), for matching. */
  predicted(time: number): NormalizedBox {
    return toBox(this.kalman.peek((time - this.time) / 1000));
  }

  /** Advances to `time` without a detection. */
  coast(time: number): void {
    this.kalman.predict((time - this.time) / 1000);
    this.time = time;
    this.visible = false;
    this.box = clampBox(toBox(this.kalman.state));
    this.velocity = this.kalman.velocity;
  }

  /** Advances to `time` with a matched detection. */
  match(time: number, box: NormalizedBox, score: number): void {
    this.kalman.predict((time - this.time) / 1000);
    this.kalman.update(toState(box));
    this.time = time;
    this.visible = true;
    this.hits++;
    this.lastSeen = time;
    this.score = score;
    this.box = clampBox(box);
    this.velocity = this.kalman.velocity;
  }

  /** Appends the current position to the history and drops points older than `keepMs`. */
  record(keepMs: number): void {
    const b = this.box;
    this.history.push({
      time: this.time,
      box: b,
      center: [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2],
      foot: [(b.x1 + b.x2) / 2, b.y2],
      speed: Math.hypot(this.velocity.x, this.velocity.y),
      detected: this.visible,
    });
    let drop = 0;
    while (drop < this.history.length - 1 && this.history[drop]!.time < this.time - keepMs) drop++;
    if (drop > 0) this.history.splice(0, drop);
  }

  /** The SDK view (no history), for metadata and events. */
  toObject(): TrackedObject {
    return {
      trackId: this.trackId,
      label: this.label,
      classId: this.classId,
      score: this.score,
      box: this.box,
      velocity: { ...this.velocity },
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      confirmed: this.confirmed,
    };
  }
}
