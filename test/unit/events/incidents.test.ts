import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncidentTracker } from '../../../src/events/index.js';
import type { Observation } from '../../../src/rules/index.js';

const obs = (key: string, counts: Record<string, number> = {}): Observation => ({ key, objects: [], counts, message: key });

describe('incidents', () => {
  it('debounce: starts once the condition held debounceSeconds, ends once gone as long; updates on changed counts', () => {
    const inc = new IncidentTracker({ debounceSeconds: 1, cooldownSeconds: 0 });
    assert.deepEqual(inc.step(0, [obs('a', { n: 1 })]), []);
    assert.deepEqual(inc.step(500, [obs('a', { n: 1 })]), []);
    const start = inc.step(1000, [obs('a', { n: 1 })]);
    assert.deepEqual(start.map((t) => t.state), ['start']);
    assert.deepEqual(inc.step(1200, [obs('a', { n: 1 })]), [], 'nothing changed');
    assert.deepEqual(inc.step(1400, [obs('a', { n: 2 })]).map((t) => t.state), ['update']);
    assert.deepEqual(inc.step(1800, []), [], 'gone for less than the debounce');
    assert.deepEqual(inc.step(2000, [obs('a', { n: 2 })]), [], 'back: same incident');
    const end = inc.step(3100, []);
    assert.deepEqual(end.map((t) => [t.state, t.incidentId]), [['end', start[0]!.incidentId]]);
  });

  it('a condition that flickers for less than the debounce raises nothing', () => {
    const inc = new IncidentTracker({ debounceSeconds: 1, cooldownSeconds: 0 });
    const out = [0, 200, 400, 600, 800, 1000, 1200].flatMap((t, i) => inc.step(t, i % 2 === 0 ? [obs('a')] : []));
    assert.deepEqual(out, []);
  });

  it('cooldown: the same key raises nothing for cooldownSeconds after its end; another key does', () => {
    const inc = new IncidentTracker({ debounceSeconds: 0, cooldownSeconds: 10 });
    assert.equal(inc.step(0, [obs('a')])[0]!.state, 'start');
    assert.equal(inc.step(100, [])[0]!.state, 'end');
    assert.deepEqual(inc.step(5000, [obs('a')]), []);
    assert.equal(inc.step(5000, [obs('b')])[0]!.state, 'start');
    assert.deepEqual(inc.step(10_200, [obs('a')]).filter((t) => t.key === 'a').map((t) => t.state), ['start']);
  });

  it('pulses start and end on their frame', () => {
    const inc = new IncidentTracker({ debounceSeconds: 5, cooldownSeconds: 0 });
    const out = inc.step(0, [{ ...obs('x:1'), pulse: true }]);
    assert.deepEqual(out.map((t) => t.state), ['start', 'end']);
    assert.equal(out[0]!.incidentId, out[1]!.incidentId);
  });
});
