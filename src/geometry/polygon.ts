import { EPSILON, samePoint, type Point } from './point.js';
import { onSegment, segmentsIntersect } from './segment.js';

export type Polygon = readonly Point[];

/** Signed area (shoelace); positive when the vertices run clockwise on screen (y down). */
export function signedArea(polygon: Polygon): number {
  let sum = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

export function area(polygon: Polygon): number {
  return Math.abs(signedArea(polygon));
}

/**
 * Point-in-polygon by ray casting, for convex and concave polygons. Points on an edge or a vertex count as
 * inside, so an object standing exactly on the zone's border is in the zone.
 */
export function containsPoint(polygon: Polygon, p: Point): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (onSegment(p, a, b)) return true;
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0];
      if (p[0] < x) inside = !inside;
    }
  }
  return inside;
}

/** Why a polygon cannot be used as a zone, or undefined when it can. */
export function polygonProblem(polygon: Polygon): string | undefined {
  if (polygon.length < 3) return `a polygon needs at least 3 points, got ${polygon.length}`;
  for (let i = 0; i < polygon.length; i++) {
    if (samePoint(polygon[i]!, polygon[(i + 1) % polygon.length]!)) return `points ${i} and ${(i + 1) % polygon.length} are the same point`;
  }
  const n = polygon.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbouring edges share a vertex
      if (segmentsIntersect(polygon[i]!, polygon[(i + 1) % n]!, polygon[j]!, polygon[(j + 1) % n]!)) {
        return `edges ${i}-${(i + 1) % n} and ${j}-${(j + 1) % n} cross: list the points in order around the zone`;
      }
    }
  }
  if (area(polygon) < EPSILON) return 'the polygon has no area (its points are on one line)';
  return undefined;
}
