/**
 * Geometry in Vigie is in normalised image coordinates: x from 0 (left) to 1 (right), y from 0 (top) to 1
 * (bottom), independent of the stream's resolution. ONVIF's -1..1, y-up convention is converted at the edge.
 */
export type Point = readonly [x: number, y: number];

export const EPSILON = 1e-9;

export function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a[0] - b[0]) < EPSILON && Math.abs(a[1] - b[1]) < EPSILON;
}
