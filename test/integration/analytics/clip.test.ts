/**
 * The sample clip end to end through detection and the analytics stage: ffmpeg decodes it at 5 frames/s
 * letterboxed into the model input (test/support/clip-detections.ts), Vigie's Detector (src/inference, YOLOX-Nano)
 * detects, and the hub tracks and evaluates an intrusion zone over the walkway and the line of docs/hand-count.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startAnalytics } from '../../../src/analytics/index.js';
import { configSchema } from '../../../src/config/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import type { AnalyticsEvent } from '../../../src/sdk/index.js';
import { openDetector } from '../../../src/inference/index.js';
import { clipFrames } from '../../support/clip-detections.js';
import { modelAssetDir } from '../../support/inference-frames.js';
import { SAMPLE_CLIP } from '../../support/paths.js';

/** docs/hand-count.md: 27 crossings of the line, 15 right to left (A→B), 12 left to right (B→A). */
const HAND_COUNT = { a_to_b: 15, b_to_a: 12 };
const LINE = [[0.4, 0.3], [0.4, 0.66]];
/** The paved walkway, from the left edge to the bottom right, below the car park and the road (where the cars are). */
const WALKWAY = [[0, 0.33], [0.5, 0.35], [0.9, 0.33], [1, 0.45], [1, 0.86], [0.4, 0.62], [0, 0.42]];

describe('sample clip through detection, tracking and rules', () => {
  it('intrusion events for the people walking through the walkway zone, none for the parked cars; the line count within 15% of the hand count', async (t) => {
    const config = configSchema.parse({
      cameras: [
        {
          id: 'clip',
          rtsp: 'rtsp://127.0.0.1/clip',
          rules: [
            { type: 'intrusion', name: 'walkway', zone: WALKWAY, minDwellSeconds: 0.5 },
            { type: 'line_crossing', name: 'walkway-line', line: LINE, cooldownSeconds: 0 },
          ],
        },
      ],
    });
    // a low score threshold: the tracker's second pass extends tracks with low-confidence detections
    const detector = await openDetector({
      inference: { model: 'yolox-nano', workers: 1, threadsPerSession: 1, executionProviders: ['cpu'], maxBatch: 1, scoreThreshold: 0.1 },
      models: { assetDir: await modelAssetDir(t), manifestDir: '', mirror: '' },
      logger: silentLogger(),
    });
    t.after(() => detector.close());
    const hub = startAnalytics({ config, logger: silentLogger(), models: [{ id: detector.model.id, classes: detector.model.classes }], software: 'test' });
    const events: AnalyticsEvent[] = [];
    hub.onEvent((e) => events.push(e));
    let carsSeen = 0;
    for await (const frame of clipFrames(SAMPLE_CLIP, 5, { width: 768, height: 576 })) {
      const result = await hub.process(await detector.detect(frame), frame);
      carsSeen += result.tracks.filter((t) => t.label === 'car' || t.label === 'truck').length;
    }
    await hub.stop();

    assert.ok(carsSeen > 100, `the parked cars are tracked (${carsSeen} car-frames), so their absence from intrusions means something`);
    const intrusions = events.filter((e) => e.type === 'intrusion');
    const starts = intrusions.filter((e) => e.state === 'start');
    assert.ok(starts.length >= 15, `${starts.length} intrusion incidents for people walking through`);
    assert.deepEqual([...new Set(intrusions.flatMap((e) => e.objects.map((o) => o.label)))], ['person'], 'no vehicle in any intrusion event');
    assert.equal(intrusions.filter((e) => e.state === 'end').length, starts.length, 'every incident ended (by the people leaving, or by stop)');

    const crossings = events.filter((e) => e.type === 'line_crossing' && e.state === 'start' && e.objects.length > 0);
    const counts = crossings.at(-1)!.counts as { a_to_b: number; b_to_a: number };
    const total = counts.a_to_b + counts.b_to_a;
    const handTotal = HAND_COUNT.a_to_b + HAND_COUNT.b_to_a;
    process.stderr.write(`line count: automatic A→B ${counts.a_to_b}, B→A ${counts.b_to_a} (total ${total}); by hand ${HAND_COUNT.a_to_b}, ${HAND_COUNT.b_to_a} (${handTotal}); intrusion incidents ${starts.length}\n`);
    assert.equal(crossings.length, total, 'one event per crossing');
    assert.ok(Math.abs(total - handTotal) <= 0.15 * handTotal, `total ${total} vs ${handTotal} by hand`);
    for (const d of ['a_to_b', 'b_to_a'] as const) assert.ok(Math.abs(counts[d] - HAND_COUNT[d]) <= Math.ceil(0.15 * HAND_COUNT[d]), `${d}: ${counts[d]} vs ${HAND_COUNT[d]} by hand`);
  });
});
