import type { TrackingConfig } from '../config/index.js';
import type { Detection, FrameDetections } from '../sdk/index.js';
import { assign } from './assignment.js';
import { iou } from './box.js';
import { Track, type TrackView } from './track.js';

export type TrackerOptions = TrackingConfig;

/** What one frame did to the tracks. */
export interface TrackerUpdate {
  /** Epoch ms of the frame. */
  time: number;
  /** Confirmed tracks, visible on this frame or coasting (lost for less than lostSeconds). */
  tracks: readonly TrackView[];
  /** Confirmed tracks to report on this frame: visible, or missed for less than coastSeconds (predicted box). */
  reported: readonly TrackView[];
  /** Ids of confirmed tracks that ended on this frame. */
  ended: number[];
}

/**
 * ByteTrack-style multi-object tracker for one camera. Each frame: every track is predicted to the frame's time
 * (constant-velocity Kalman filter, seconds, so skipped frames are fine); high-confidence detections are matched
 * to all tracks by IoU with the predicted box (Hungarian assignment), then low-confidence detections to the
 * tracks still unmatched (occluded or blurred objects keep their id), then the remaining high-confidence
 * detections to tentative tracks; what is left starts new tentative tracks. Tracks are per class: a detection
 * only extends a track of its own class. A tentative track is confirmed, and gets its public id, once matched
 * over `confirmSeconds` in two detections at least; a confirmed track unmatched for `lostSeconds` ends. Ids are
 * never reused within a run.
 */
export class Tracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private nextKey = 1;
  private lastTime: number | undefined;

  constructor(private readonly options: TrackerOptions) {}

  update(frame: Pick<FrameDetections, 'captureTime' | 'detections'>): TrackerUpdate {
    const o = this.options;
    let time = frame.captureTime;
    if (this.lastTime !== undefined && time <= this.lastTime) time = this.lastTime + 1; // a clock step back must not run the filter backwards
    this.lastTime = time;

    const high: Detection[] = [];
    const low: Detection[] = [];
    for (const d of frame.detections) {
      if (d.score >= o.highScore) high.push(d);
      else if (d.score >= o.lowScore) low.push(d);
    }

    const active = this.tracks.filter((t) => t.status !== 'tentative');
    const tentative = this.tracks.filter((t) => t.status === 'tentative');
    const matched = new Set<Track>();

    // 1. high-confidence detections against every confirmed track (tracked and lost)
    const leftHigh = this.associate(active, high, o.matchIou, time, matched);
    // 2. low-confidence detections against confirmed tracks still unmatched that were tracked on the last frame
    this.associate(active.filter((t) => !matched.has(t) && t.status === 'tracked'), low, o.lowMatchIou, time, matched);
    // 3. the remaining high-confidence detections against tentative tracks
    const leftForNew = this.associate(tentative, leftHigh, Math.max(o.matchIou, 0.3), time, matched);

    const ended: number[] = [];
    const keep: Track[] = [];
    for (const t of this.tracks) {
      if (!matched.has(t)) {
        if (t.status === 'tentative') continue; // unconfirmed and missed: dropped
        t.coast(time);
        t.status = 'lost';
        if (time - t.lastSeen > o.lostSeconds * 1000) {
          ended.push(t.trackId);
          continue;
        }
      } else {
        if (t.status === 'lost') t.status = 'tracked';
        if (t.status === 'tentative' && t.hits >= 2 && t.lastSeen - t.firstSeen >= o.confirmSeconds * 1000) {
          t.status = 'tracked';
          t.confirmed = true;
          t.trackId = this.nextId++;
        }
      }
      keep.push(t);
    }
    for (const d of leftForNew) {
      if (d.score < o.newTrackScore) continue;
      const track = new Track(d.label, d.classId, d.box, d.score, time, this.nextKey++);
      if (o.confirmSeconds === 0) {
        track.status = 'tracked';
        track.confirmed = true;
        track.trackId = this.nextId++;
      }
      keep.push(track);
    }
    const keepMs = o.historySeconds * 1000;
    for (const t of keep) t.record(keepMs);
    this.tracks = keep;
    const confirmed = keep.filter((t) => t.confirmed);
    return { time, tracks: confirmed, reported: confirmed.filter((t) => t.visible || time - t.lastSeen <= o.coastSeconds * 1000), ended };
  }

  /** Every live track, tentative ones included (diagnostics and benchmarks). */
  all(): readonly TrackView[] {
    return this.tracks;
  }

  /** Matches `detections` to `tracks` of the same class by IoU; returns the detections left unmatched. */
  private associate(tracks: Track[], detections: Detection[], minIou: number, time: number, matched: Set<Track>): Detection[] {
    if (tracks.length === 0 || detections.length === 0) return detections;
    const predicted = tracks.map((t) => t.predicted(time));
    const cost = tracks.map((t, i) => detections.map((d) => (d.label === t.label ? 1 - iou(predicted[i]!, d.box) : 2)));
    const pairs = assign(cost, 1 - minIou);
    const used = new Set<number>();
    for (const [ti, di] of pairs) {
      const t = tracks[ti]!;
      const d = detections[di]!;
      t.match(time, d.box, d.score);
      matched.add(t);
      used.add(di);
    }
    return detections.filter((_, i) => !used.has(i));
  }
}
