import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { letterbox } from '../../../src/frames/index.js';
import { MotionGate } from '../../../src/ingest/index.js';

const geometry = letterbox({ width: 768, height: 576 }, { width: 416, height: 416 });
const settings = { enabled: true, threshold: 0.002, pixelDelta: 25, forceIntervalSeconds: 2 };

function frame(fill: number): Buffer {
  const data = Buffer.alloc(416 * 416 * 3, 114);
  for (let y = 0; y < geometry.scaledHeight; y += 1) data.fill(fill, y * 416 * 3, (y * 416 + geometry.scaledWidth) * 3);
  return data;
}

/** Draws a `size` square of grey `value` at (x, y) (frame pixels). */
function withSquare(base: Buffer, x: number, y: number, size: number, value: number): Buffer {
  const data = Buffer.from(base);
  for (let row = y; row < y + size; row += 1) data.fill(value, (row * 416 + x) * 3, (row * 416 + x + size) * 3);
  return data;
}

describe('MotionGate', () => {
  it('passes the first frame, skips an unchanged picture, and forces one through every forceIntervalSeconds', () => {
    const gate = new MotionGate(settings);
    const still = frame(80);
    const decisions = [0, 200, 400, 1900, 2000, 2200, 3999, 4000].map((t) => gate.decide(still, geometry, t));
    assert.deepEqual(decisions, ['motion', 'skip', 'skip', 'skip', 'forced', 'skip', 'skip', 'forced']);
  });

  it('sees a person-sized change as motion, and ignores coding noise below pixelDelta', () => {
    const gate = new MotionGate(settings);
    const base = frame(80);
    gate.decide(base, geometry, 0);
    assert.equal(gate.decide(frame(80 + 20), geometry, 200), 'skip', 'a uniform change of 20 grey levels is below pixelDelta 25');
    assert.equal(gate.decide(withSquare(frame(100), 100, 100, 30, 200), geometry, 400), 'motion');
    assert.ok(gate.lastChangedFraction > 0.002 && gate.lastChangedFraction < 0.05);
  });

  it('ignores changes in the letterbox padding (not part of the picture)', () => {
    const gate = new MotionGate(settings);
    const base = frame(80);
    gate.decide(base, geometry, 0);
    assert.equal(gate.decide(withSquare(base, 100, 330, 60, 250), geometry, 200), 'skip');
  });

  it('passes every frame when disabled, and follows updated settings', () => {
    const gate = new MotionGate({ ...settings, enabled: false });
    const still = frame(80);
    assert.deepEqual([0, 200, 400].map((t) => gate.decide(still, geometry, t)), ['motion', 'motion', 'motion']);
    gate.update(settings);
    gate.reset();
    assert.deepEqual([600, 800].map((t) => gate.decide(still, geometry, t)), ['motion', 'skip']);
  });
});
