import { z } from 'zod';
import { polygonProblem, samePoint } from '../geometry/index.js';

const coordinate = z
  .number({ error: 'a coordinate must be a number between 0 and 1' })
  .min(0, { error: 'coordinates are normalised: 0 is the left/top edge, 1 the right/bottom edge (divide pixels by the frame size)' })
  .max(1, { error: 'coordinates are normalised: 0 is the left/top edge, 1 the right/bottom edge (divide pixels by the frame size)' });

/** `[x, y]`, normalised: x 0 (left) → 1 (right), y 0 (top) → 1 (bottom). */
export const pointSchema = z
  .tuple([coordinate, coordinate], { error: 'a point is written [x, y] with two numbers between 0 and 1' })
  .describe('a point [x, y] in normalised coordinates: x 0 (left) to 1 (right), y 0 (top) to 1 (bottom)');

/** A zone: at least 3 points in order around it, edges not crossing. */
export const polygonSchema = z
  .array(pointSchema, { error: 'a zone is a list of [x, y] points' })
  .min(3, { error: 'a polygon needs at least 3 points: list its corners in order, e.g. [[0.1, 0.5], [0.9, 0.5], [0.9, 0.9]]' })
  .superRefine((points, ctx) => {
    if (points.length < 3) return; // reported by min() above
    const problem = polygonProblem(points);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('a polygon: at least 3 [x, y] points, in order around the zone, in normalised coordinates');

/** A line: exactly two distinct points, A then B. */
export const lineSchema = z
  .tuple([pointSchema, pointSchema], { error: 'a line is written [[xA, yA], [xB, yB]]: exactly two points' })
  .refine(([a, b]) => !samePoint(a, b), { error: 'the two ends of the line are the same point' })
  .describe('a line [[xA, yA], [xB, yB]] in normalised coordinates; crossing directions are named A→B and B→A');
