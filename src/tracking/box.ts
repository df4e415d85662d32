import type { NormalizedBox } from '../sdk/index.js';
import type { BoxState } from './kalman.js';

export function toState(box: NormalizedBox): BoxState {
  return { cx: (box.x1 + box.x2) / 2, cy: (box.y1 + box.y2) / 2, w: box.x2 - box.x1, h: box.y2 - box.y1 };
}

export function toBox(s: BoxState): NormalizedBox {
  return { x1: s.cx - s.w / 2, y1: s.cy - s.h / 2, x2: s.cx + s.w / 2, y2: s.cy + s.h / 2 };
}

/** The box clamped to the picture. */
export function clampBox(b: NormalizedBox): NormalizedBox {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return { x1: c(b.x1), y1: c(b.y1), x2: c(b.x2), y2: c(b.y2) };
}

/** Intersection over union of two boxes. */
export function iou(a: NormalizedBox, b: NormalizedBox): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Shortest distance between two boxes, edge to edge (0 when they overlap). */
export function boxGap(a: NormalizedBox, b: NormalizedBox): number {
  const dx = Math.max(0, Math.max(a.x1, b.x1) - Math.min(a.x2, b.x2));
  const dy = Math.max(0, Math.max(a.y1, b.y1) - Math.min(a.y2, b.y2));
  return Math.hypot(dx, dy);
}
