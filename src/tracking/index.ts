export { Tracker, type TrackerOptions, type TrackerUpdate } from './tracker.js';
export type { TrackView, TrackPoint } from './track.js';
export { iou, boxGap } from './box.js';
export { assign } from './assignment.js';
