import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema, ruleSchema, type RuleConfig } from '../../../src/config/index.js';
import { RuleRefusedError } from '../../../src/errors/index.js';
import { createRule, type Rule, type RuleContext } from '../../../src/rules/index.js';
import { det, person, runRule } from '../../support/track-stream.js';

const standard: RuleContext = { cameraId: 'cam', mode: 'standard', enabledEventTypes: ruleSchema.options.map((o) => o.shape.type.value), models: [{ id: 'yolox-nano', classes: ['person', 'car', 'backpack', 'knife'] }] };
const rule = (config: Record<string, unknown>, context: RuleContext = standard): Rule => createRule(ruleSchema.parse(config), context);
const walkway = [[0.2, 0.4], [0.8, 0.4], [0.8, 0.8], [0.2, 0.8]];

describe('intrusion', () => {
  it('raises one incident per person walking through the zone, none for a car parked outside it', () => {
    const r = rule({ type: 'intrusion', name: 'walkway', zone: walkway, minDwellSeconds: 0.5 });
    const run = runRule(r, 20, (t) => [person(0.05 + 0.05 * t, 0.6), person(0.95 - 0.05 * t, 0.7), det('car', 0.9, 0.3, 0.15, 0.1)]);
    assert.equal(run.starts.length, 2);
    assert.ok(run.starts.every((s) => s.observation.objects[0]!.label === 'person'));
    assert.equal(run.transitions.filter((x) => x.state === 'end').length, 2, 'both ended once out');
  });

  it('minimum dwell: crossing a corner of the zone in less time raises nothing', () => {
    const r = rule({ type: 'intrusion', name: 'z', zone: walkway, minDwellSeconds: 5 });
    const run = runRule(r, 20, (t) => [person(0.1 + 0.05 * t, 0.45 - 0.0 * t)]);
    // in the zone from x 0.2 to 0.8 at 0.05/s = 12 s: raised; now a short stay of 2 s
    assert.equal(run.starts.length, 1);
    const short = runRule(rule({ type: 'intrusion', name: 'z', zone: walkway, minDwellSeconds: 5 }), 10, (t) => [person(0.1 + 0.05 * t, t > 4 && t < 6 ? 0.45 : 0.3)]);
    assert.equal(short.starts.length, 0);
  });

  it('entry trigger: an object already inside when first seen does not count, one coming in does', () => {
    const cfg = { type: 'intrusion', name: 'z', zone: walkway, trigger: 'entry', minDwellSeconds: 0.5 };
    assert.equal(runRule(rule(cfg), 10, () => [person(0.5, 0.6)]).starts.length, 0);
    assert.equal(runRule(rule(cfg), 10, (t) => [person(0.1 + 0.05 * t, 0.6)]).starts.length, 1);
  });

  it('concave zone: a person standing in the notch of a U-shaped zone is outside', () => {
    const u = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.6, 0.5], [0.6, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]];
    assert.equal(runRule(rule({ type: 'intrusion', name: 'u', zone: u }), 5, () => [person(0.5, 0.3)]).starts.length, 0);
    assert.equal(runRule(rule({ type: 'intrusion', name: 'u', zone: u }), 5, () => [person(0.5, 0.7)]).starts.length, 1);
    assert.equal(runRule(rule({ type: 'intrusion', name: 'u', zone: u }), 5, () => [person(0.25, 0.3)]).starts.length, 1, 'left arm');
  });
});

describe('line crossing', () => {
  const line = [[0.5, 0.2], [0.5, 0.9]]; // A at the top, B at the bottom: left of A→B is screen right
  it('counts crossings per direction; jitter on the line and passing beside its end are not crossings', () => {
    const r = rule({ type: 'line_crossing', name: 'gate', line });
    const run = runRule(r, 30, (t) => [
      person(0.2 + 0.05 * t, 0.6), // left to right
      person(0.8 - 0.04 * t, 0.5), // right to left
      person(0.5 + 0.004 * Math.sin(t * 7), 0.7), // standing on the line, jittering
      person(0.2 + 0.05 * t, 0.15), // passes above A, beside the segment
    ]);
    const crossings = run.starts.filter((s) => s.observation.objects.length > 0);
    assert.deepEqual(crossings.at(-1)!.observation.counts, { a_to_b: 1, b_to_a: 1 });
    assert.equal(crossings.length, 2);
    assert.equal(run.transitions.filter((x) => x.state === 'end' && x.observation.objects.length > 0).length, 2, 'pulses end at once');
  });

  it('publishes the counters every reportIntervalSeconds when there were crossings since the last report', () => {
    const r = rule({ type: 'line_crossing', name: 'gate', line, reportIntervalSeconds: 10 });
    const run = runRule(r, 45, (t) => (t < 20 ? [person(0.2 + 0.05 * t, 0.6)] : []));
    const reports = run.starts.filter((s) => s.observation.objects.length === 0);
    assert.equal(reports.length, 1, 'one report after the crossing at about 6 s, none once nothing moves');
    assert.deepEqual(reports[0]!.observation.counts, { a_to_b: 0, b_to_a: 1 });
  });

  it('direction filter: only the configured direction raises events, both are counted', () => {
    const r = rule({ type: 'line_crossing', name: 'gate', line, direction: 'b_to_a' });
    const run = runRule(r, 30, (t) => [person(0.2 + 0.05 * t, 0.6), person(0.8 - 0.04 * t, 0.5)]);
    assert.equal(run.starts.length, 1);
    assert.match(run.starts[0]!.observation.message, /crossed B→A/);
    // A above B: the right of A→B as seen on screen is screen left, so walking right to left is A→B, left to right B→A
    assert.equal(run.starts[0]!.observation.objects[0]!.velocity.x > 0, true, 'the B→A crossing is the person walking right');
  });
});

describe('wrong way', () => {
  const cfg = { type: 'wrong_way', name: 'ramp', zone: walkway, allowedDirection: 0, minDisplacement: 0.05, minDurationSeconds: 1 };
  it('raises for a person walking against the allowed direction, not with it, nor standing still', () => {
    assert.equal(runRule(rule(cfg), 10, (t) => [person(0.75 - 0.06 * t, 0.6)]).starts.length, 1);
    assert.equal(runRule(rule(cfg), 10, (t) => [person(0.25 + 0.05 * t, 0.6)]).starts.length, 0);
    assert.equal(runRule(rule(cfg), 10, (t) => [person(0.5 + 0.003 * Math.sin(t * 5), 0.6)]).starts.length, 0);
  });
});

describe('loitering', () => {
  const cfg = { type: 'loitering', name: 'hall', zone: walkway, durationSeconds: 30 };
  it('raises for a person staying in the zone, not for one walking through', () => {
    assert.equal(runRule(rule(cfg), 40, (t) => [person(0.5 + 0.05 * Math.sin(t / 3), 0.6)]).starts.length, 1);
    assert.equal(runRule(rule(cfg), 40, (t) => [person(0.1 + 0.05 * t, 0.6)]).starts.length, 0);
  });
});

describe('abandoned object', () => {
  const cfg = { type: 'abandoned_object', name: 'hall', stationarySeconds: 20, ownerRadius: 0.1 };
  const bag = (x: number) => det('backpack', x, 0.62, 0.04, 0.05);

  it('a bag dropped by a person who walks away is abandoned once left alone long enough', () => {
    const run = runRule(rule(cfg), 60, (t) => {
      const out = [t < 10 ? person(0.1 + 0.04 * t, 0.6) : person(0.5 + 0.05 * (t - 10), 0.6)];
      if (t >= 5) out.push(t < 10 ? bag(0.1 + 0.04 * t + 0.03) : bag(0.53));
      return out;
    });
    assert.equal(run.starts.length, 1);
    const at = run.observations.findIndex((o) => o.length > 0) / 5;
    assert.ok(at >= 30, `raised at ${at} s: 20 s after the owner went beyond the radius`);
  });

  it('a person sitting next to their bag: not abandoned (2024 failure case)', () => {
    const sitting = det('person', 0.5, 0.62, 0.06, 0.08); // seated: a squat box beside the bag
    const run = runRule(rule(cfg), 90, (t) => [t < 5 ? person(0.3 + 0.04 * t, 0.62) : sitting, ...(t >= 5 ? [bag(0.56)] : [])]);
    assert.equal(run.starts.length, 0);
  });

  it('a bin that never moved since the start: not abandoned (2024 failure case), even after a passer-by hides it', () => {
    const run = runRule(rule({ ...cfg, classes: ['suitcase'] }), 90, (t) => {
      const hidden = t > 40 && t < 45;
      const out = [person(0.05 + 0.01 * t, 0.9)];
      if (!hidden) out.push(det('suitcase', 0.5, 0.6, 0.05, 0.08));
      return out;
    });
    assert.equal(run.starts.length, 0);
  });
});

describe('person down', () => {
  const cfg = { type: 'person_down', name: 'platform', durationSeconds: 10 };
  const standing = (x: number) => det('person', x, 0.7, 0.05, 0.2);
  const lying = (x: number) => det('person', x, 0.7, 0.2, 0.06);
  const bending = (x: number) => det('person', x, 0.7, 0.07, 0.11); // about as wide as tall in pixels (640x480)

  // a fall takes about a second: the box widens as it flattens
  const falling = (x: number, k: number) => det('person', x, 0.7, 0.05 + 0.15 * k, 0.2 - 0.14 * k);

  it('a person who falls and stays down is raised', () => {
    const run = runRule(rule(cfg), 30, (t) => [t < 5 ? standing(0.3 + 0.02 * t) : t < 6 ? falling(0.4, t - 5) : lying(0.4)]);
    assert.equal(run.starts.length, 1);
  });

  it('a person bending down to pick something up is not a person on the ground (2024 failure case)', () => {
    const run = runRule(rule(cfg), 40, (t) => [t > 10 && t < 25 ? bending(0.4) : standing(0.4)]);
    assert.equal(run.starts.length, 0);
  });

  it('a person lying since first seen (asleep on a bench) raised nothing: no fall was seen; nor a brief lie-down', () => {
    assert.equal(runRule(rule(cfg), 30, () => [lying(0.4)]).starts.length, 0);
    assert.equal(runRule(rule(cfg), 30, (t) => [t > 5 && t < 10 ? lying(0.4) : standing(0.4)]).starts.length, 0);
  });

  it('a person lying but moving on (rolling, crawling away) is not raised', () => {
    assert.equal(runRule(rule(cfg), 30, (t) => [t < 5 ? standing(0.1) : t < 6 ? falling(0.1, t - 5) : lying(0.1 + 0.02 * (t - 6))]).starts.length, 0);
  });
});

describe('crowd density', () => {
  const crowd = (n: number) => Array.from({ length: n }, (_, i) => person(0.25 + (i % 6) * 0.1, 0.5 + Math.floor(i / 6) * 0.15));
  it('raises above the count, not at or below it', () => {
    const cfg = { type: 'crowd_density', name: 'square', zone: walkway, maxCount: 10 };
    const run = runRule(rule(cfg), 5, () => crowd(12));
    assert.equal(run.starts.length, 1);
    assert.equal(run.starts[0]!.observation.counts.inside, 12);
    assert.equal(runRule(rule(cfg), 5, () => crowd(10)).starts.length, 0);
  });

  it('per square metre', () => {
    const cfg = { type: 'crowd_density', name: 'square', zone: walkway, maxPerSquareMetre: 2, areaSquareMetres: 5 };
    assert.equal(runRule(rule(cfg), 5, () => crowd(12)).starts[0]!.observation.counts.perSquareMetre, 2.4);
    assert.equal(runRule(rule(cfg), 5, () => crowd(9)).starts.length, 0);
  });
});

describe('crowd movement', () => {
  const cfg = { type: 'crowd_movement', name: 'square', zone: [[0, 0], [1, 0], [1, 1], [0, 1]], minTracks: 5, speedFactor: 3, baselineSeconds: 30 };
  const start = Array.from({ length: 8 }, (_, i) => [0.35 + (i % 4) * 0.1, 0.45 + Math.floor(i / 4) * 0.2] as const);

  it('a slow, dense queue is density, not crowd movement (2024 failure case)', () => {
    const run = runRule(rule(cfg), 90, (t) => start.map(([x, y]) => person(x + 0.01 * t * 0.2, y)), { fps: 10 });
    assert.equal(run.starts.length, 0);
  });

  it('people standing, then dispersing at once, raise it', () => {
    const run = runRule(
      rule(cfg),
      50,
      (t) =>
        start.map(([x, y]) => {
          const run = Math.max(0, t - 40);
          const dx = x - 0.5;
          const dy = y - 0.55;
          const n = Math.hypot(dx, dy);
          return person(x + (dx / n) * 0.12 * run + 0.002 * Math.sin(t * 3), y + (dy / n) * 0.12 * run);
        }),
      { fps: 10 },
    );
    assert.equal(run.starts.length, 1);
  });
});

describe('weapon', () => {
  const cfg = { type: 'weapon', name: 'entrance', confirmSeconds: 1 };
  it('a knife seen over the confirmation time is raised; one seen on a single frame is not', () => {
    assert.equal(runRule(rule(cfg), 5, () => [det('knife', 0.5, 0.5, 0.03, 0.05, 0.8)]).starts.length, 1);
    assert.equal(runRule(rule(cfg), 5, (t) => (Math.abs(t - 2) < 0.01 ? [det('knife', 0.5, 0.5, 0.03, 0.05, 0.8)] : [])).starts.length, 0);
  });
});

describe('fire', () => {
  const cfg = { type: 'fire', name: 'store', model: 'fire-smoke' };
  it('refuses to start without a fire model, with the reason and the fix', () => {
    assert.throws(() => rule(cfg), (e: unknown) => e instanceof RuleRefusedError && /fire and smoke model "fire-smoke"/.test(e.message) && /no colour heuristic/.test(e.message) && /models\/fire-smoke\.json/.test(e.hint ?? ''));
  });

  it('with a fire model, fire confirmed over time is raised', () => {
    const r = rule(cfg, { ...standard, models: [{ id: 'fire-smoke', classes: ['fire', 'smoke'] }] });
    assert.equal(runRule(r, 6, () => [det('fire', 0.5, 0.5, 0.1, 0.1, 0.7)]).starts.length, 1);
    assert.equal(runRule(rule(cfg, { ...standard, models: [{ id: 'fire-smoke', classes: ['fire', 'smoke'] }] }), 2, () => [det('fire', 0.5, 0.5, 0.1, 0.1, 0.7)]).starts.length, 0, 'not confirmed yet');
  });
});

describe('fr-vsa mode', () => {
  const fr: RuleContext = { ...standard, mode: 'fr-vsa' };
  it('refuses loitering and counting line crossings with a clear message, accepts the eight event kinds', () => {
    assert.throws(() => rule({ type: 'loitering', name: 'l', zone: walkway }, fr), /loitering is not one of the eight events/);
    assert.throws(() => rule({ type: 'line_crossing', name: 'c', line: [[0.5, 0], [0.5, 1]] }, fr), /counting rule, refused in fr-vsa mode/);
    assert.ok(rule({ type: 'line_crossing', name: 'c', line: [[0.5, 0], [0.5, 1]], direction: 'a_to_b' }, fr));
    assert.ok(rule({ type: 'intrusion', name: 'i', zone: walkway }, fr));
  });

  it('the configuration is refused at load with the same message', () => {
    const result = configSchema.safeParse({ rules: { mode: 'fr-vsa', enabledEventTypes: ['intrusion', 'line_crossing'] }, cameras: [{ id: 'c1', rtsp: 'rtsp://x/y', rules: [{ type: 'line_crossing', name: 'count', line: [[0.5, 0], [0.5, 1]] } satisfies Partial<RuleConfig>] }] });
    assert.equal(result.success, false);
    assert.match(JSON.stringify(result.error?.issues), /counting rule/);
  });
});
