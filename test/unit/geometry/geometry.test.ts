import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containsPoint, polygonProblem, segmentsIntersect, sideOfLine, type Point } from '../../../src/geometry/index.js';

const square: Point[] = [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8]];
// A "U" shape (concave): the notch between x 0.4..0.6 above y 0.5 is outside.
const u: Point[] = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.6, 0.5], [0.6, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]];

describe('geometry', () => {
  it('point in polygon: inside, outside, on edges and vertices', () => {
    assert.equal(containsPoint(square, [0.5, 0.5]), true);
    assert.equal(containsPoint(square, [0.1, 0.5]), false);
    assert.equal(containsPoint(square, [0.2, 0.5]), true, 'on the left edge');
    assert.equal(containsPoint(square, [0.8, 0.8]), true, 'on a vertex');
    assert.equal(containsPoint(square, [0.5, 0.2]), true, 'on the top edge');
  });

  it('point in a concave polygon', () => {
    assert.equal(containsPoint(u, [0.5, 0.3]), false, 'in the notch');
    assert.equal(containsPoint(u, [0.5, 0.7]), true, 'below the notch');
    assert.equal(containsPoint(u, [0.2, 0.3]), true, 'left arm');
    assert.equal(containsPoint(u, [0.5, 0.5]), true, 'on the notch floor');
  });

  it('segment crossing and side of a directed line', () => {
    assert.equal(segmentsIntersect([0, 0], [1, 1], [0, 1], [1, 0]), true);
    assert.equal(segmentsIntersect([0, 0], [0.4, 0.4], [0, 1], [1, 0]), false);
    assert.equal(segmentsIntersect([0, 0], [0.5, 0.5], [0.5, 0.5], [1, 0]), true, 'touching at an end');
    // Line from A (left) to B (right) across the frame; y grows downwards.
    assert.equal(sideOfLine([0.5, 0.6], [0.1, 0.5], [0.9, 0.5]), 1, 'below the line is on the right of A→B');
    assert.equal(sideOfLine([0.5, 0.4], [0.1, 0.5], [0.9, 0.5]), -1);
    assert.equal(sideOfLine([0.5, 0.5], [0.1, 0.5], [0.9, 0.5]), 0);
  });

  it('explains unusable polygons', () => {
    assert.match(polygonProblem([[0, 0], [1, 1]]) ?? '', /at least 3 points/);
    assert.match(polygonProblem([[0, 0], [0.5, 0.5], [1, 1]]) ?? '', /no area/);
    assert.match(polygonProblem([[0, 0], [1, 1], [1, 0], [0, 1]]) ?? '', /cross/);
    assert.equal(polygonProblem(u), undefined);
  });
});

describe('geometry edge cases used by the rules', () => {
  // A concave "L": the missing square is x 0.5..0.9, y 0.1..0.5.
  const l: Point[] = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.9, 0.5], [0.9, 0.9], [0.1, 0.9]];

  it('vertices, reflex vertex and edges of a concave zone are inside; the missing corner is outside', () => {
    for (const v of l) assert.equal(containsPoint(l, v), true, `vertex ${v.join(',')}`);
    assert.equal(containsPoint(l, [0.5, 0.3]), true, 'on the inner vertical edge');
    assert.equal(containsPoint(l, [0.7, 0.5]), true, 'on the inner horizontal edge');
    assert.equal(containsPoint(l, [0.7, 0.3]), false, 'in the missing corner');
    assert.equal(containsPoint(l, [0.95, 0.5]), false, 'right of the reflex edge, at a vertex height');
    assert.equal(containsPoint(l, [0.3, 0.5]), true, 'ray through the reflex vertex');
  });

  it('crossing direction: a move across a directed line changes side, one along it or beside its end does not cross it', () => {
    const a: Point = [0.5, 0.2];
    const b: Point = [0.5, 0.8];
    const from: Point = [0.3, 0.5];
    const to: Point = [0.7, 0.5];
    assert.equal(segmentsIntersect(from, to, a, b), true);
    assert.equal(sideOfLine(from, a, b), 1, 'screen left of a downward line is its right');
    assert.equal(sideOfLine(to, a, b), -1);
    assert.equal(segmentsIntersect([0.3, 0.1], [0.7, 0.1], a, b), false, 'beside the end A');
    assert.equal(segmentsIntersect([0.5, 0.3], [0.5, 0.6], a, b), true, 'along the line (collinear overlap) touches it');
  });
});
