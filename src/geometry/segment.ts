import { cross, EPSILON, type Point } from './point.js';

/** Whether `p` lies on the closed segment a-b. */
export function onSegment(p: Point, a: Point, b: Point): boolean {
  if (Math.abs(cross(a, b, p)) > EPSILON) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) - EPSILON &&
    p[0] <= Math.max(a[0], b[0]) + EPSILON &&
    p[1] >= Math.min(a[1], b[1]) - EPSILON &&
    p[1] <= Math.max(a[1], b[1]) + EPSILON
  );
}

/** Whether closed segments p1-p2 and q1-q2 share at least one point (touching counts). */
export function segmentsIntersect(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  if (((d1 > EPSILON && d2 < -EPSILON) || (d1 < -EPSILON && d2 > EPSILON)) && ((d3 > EPSILON && d4 < -EPSILON) || (d3 < -EPSILON && d4 > EPSILON))) {
    return true;
  }
  return onSegment(p1, q1, q2) || onSegment(p2, q1, q2) || onSegment(q1, p1, p2) || onSegment(q2, p1, p2);
}

/**
 * Side of point p relative to the directed line a→b, in image coordinates (y down): negative is to the left
 * of the direction of travel as seen on screen, positive to the right, 0 on the line.
 */
export function sideOfLine(p: Point, a: Point, b: Point): -1 | 0 | 1 {
  const c = cross(a, b, p);
  if (Math.abs(c) <= EPSILON) return 0;
  return c > 0 ? 1 : -1;
}
