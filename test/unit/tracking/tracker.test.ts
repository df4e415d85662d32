import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trackingSchema } from '../../../src/config/index.js';
import type { Detection } from '../../../src/sdk/index.js';
import { assign, Tracker } from '../../../src/tracking/index.js';
import { evaluateMot, type MotFrame } from '../../support/mot-metrics.js';
import { generateScene } from '../../support/synthetic-scenes.js';

const person = (x: number, y: number, score = 0.9): Detection => ({ label: 'person', classId: 0, score, box: { x1: x - 0.02, y1: y - 0.1, x2: x + 0.02, y2: y } });

describe('tracker', () => {
  it('assignment finds the cheapest pairing and leaves pairs over the limit unmatched', () => {
    assert.deepEqual(assign([[0.9, 0.1], [0.2, 0.8]], 0.5).sort(), [[0, 1], [1, 0]]);
    assert.deepEqual(assign([[0.9, 0.95]], 0.5), []);
    assert.deepEqual(assign([[0.1], [0.05]], 0.5), [[1, 0]]);
  });

  it('confirms a track after confirmSeconds, keeps its id through missed detections, and ends it after lostSeconds', () => {
    const tracker = new Tracker(trackingSchema.parse({ confirmSeconds: 0.2, lostSeconds: 1 }));
    let u = tracker.update({ captureTime: 0, detections: [person(0.1, 0.5)] });
    assert.equal(u.tracks.length, 0, 'not confirmed on its first detection');
    u = tracker.update({ captureTime: 100, detections: [person(0.11, 0.5)] });
    assert.equal(u.tracks.length, 0, 'matched over 0.1 s only');
    u = tracker.update({ captureTime: 200, detections: [person(0.12, 0.5)] });
    assert.equal(u.tracks.length, 1);
    const id = u.tracks[0]!.trackId;
    // three frames without detection: predicted, same id when it reappears further along
    for (const t of [300, 400, 500]) {
      u = tracker.update({ captureTime: t, detections: [] });
      assert.equal(u.tracks[0]!.visible, false);
    }
    u = tracker.update({ captureTime: 600, detections: [person(0.16, 0.5)] });
    assert.equal(u.tracks[0]!.trackId, id);
    assert.ok(u.tracks[0]!.velocity.x > 0.05, `velocity ${u.tracks[0]!.velocity.x} to the right`);
    assert.ok(u.tracks[0]!.history.length >= 6);
    u = tracker.update({ captureTime: 1700, detections: [] });
    assert.deepEqual(u.ended, [id]);
    assert.equal(u.tracks.length, 0);
  });

  it('confirmation and loss are durations: the same walk at 2, 5 and 10 frames/s ends with one track, confirmed and lost at the same times', () => {
    for (const fps of [2, 5, 10]) {
      const tracker = new Tracker(trackingSchema.parse({ confirmSeconds: 0.5, lostSeconds: 2 }));
      let confirmedAt: number | undefined;
      let endedAt: number | undefined;
      for (let k = 0; k <= 10 * fps; k++) {
        const t = k / fps;
        const u = tracker.update({ captureTime: Math.round(t * 1000), detections: t < 5 ? [person(0.1 + 0.03 * t, 0.5)] : [] });
        if (confirmedAt === undefined && u.tracks.length > 0) confirmedAt = t;
        if (endedAt === undefined && u.ended.length > 0) endedAt = t;
        assert.ok(u.tracks.every((x) => x.trackId === 1), `${fps} frames/s: one id`);
      }
      assert.ok(confirmedAt! >= 0.5 && confirmedAt! <= 1, `${fps} frames/s: confirmed at ${confirmedAt} s`);
      assert.ok(endedAt! > 6.8 && endedAt! <= 7.5, `${fps} frames/s: ended at ${endedAt} s (last seen at 4.9 s or so, lost for 2 s)`);
    }
  });

  it('a low-confidence detection extends a track but never starts one', () => {
    const tracker = new Tracker(trackingSchema.parse({ confirmSeconds: 0 }));
    let u = tracker.update({ captureTime: 0, detections: [person(0.5, 0.5), person(0.2, 0.5, 0.3)] });
    assert.equal(u.tracks.length, 1);
    u = tracker.update({ captureTime: 100, detections: [person(0.5, 0.5, 0.3)] });
    assert.equal(u.tracks[0]!.visible, true, 'the partly hidden object matched with a score of 0.3');
  });

  it('tracks are per class: a car never takes over a person track', () => {
    const tracker = new Tracker(trackingSchema.parse({ confirmSeconds: 0 }));
    tracker.update({ captureTime: 0, detections: [person(0.5, 0.5)] });
    const u = tracker.update({ captureTime: 100, detections: [{ ...person(0.5, 0.5), label: 'car', classId: 2 }] });
    const labels = tracker.all().map((t) => t.label).sort();
    assert.deepEqual(labels, ['car', 'person']);
    assert.equal(u.tracks.find((t) => t.label === 'person')!.visible, false);
  });

  it('keeps identities through crossings, occlusions, misses and jitter (synthetic scenes, IDF1 >= 0.9)', () => {
    const frames: MotFrame[] = [];
    for (const seed of [7, 8]) {
      const scene = generateScene({ seed, seconds: 30, fps: 10, objects: 15 });
      const tracker = new Tracker(trackingSchema.parse({}));
      for (const f of scene) {
        const u = tracker.update({ captureTime: f.time, detections: f.detections });
        frames.push({
          truth: f.truth.filter((t) => t.visibility >= 0.25).map((t) => ({ id: seed * 1000 + t.id, box: t.box })),
          hypotheses: u.reported.map((t) => ({ id: seed * 1000 + t.trackId, box: t.box })),
        });
      }
    }
    const result = evaluateMot(frames);
    assert.ok(result.idf1 >= 0.9, `IDF1 ${result.idf1.toFixed(3)}`);
    assert.ok(result.mota >= 0.8, `MOTA ${result.mota.toFixed(3)}`);
  });
});
