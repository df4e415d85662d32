import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetricsRegistry } from '../../../src/metrics/index.js';
import { startPipeline } from '../../../src/pipeline/index.js';
import type { FrameDetections } from '../../../src/sdk/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { GateDetector, INPUT, ManualIngests, until } from '../../support/pipeline-standins.js';

const queue = (maxFramesInFlight: number) => ({ queue: { redisUrl: '', prefix: 'vigie', maxFramesInFlight, frameTtlSeconds: 10, stalledSeconds: 5 } });

describe('embedded pipeline backpressure', () => {
  it('keeps at most maxFramesInFlight frames per camera: the oldest waiting frame is dropped, the latest wins, drops are counted', async (t) => {
    const detector = new GateDetector(1);
    const ingests = new ManualIngests();
    const metrics = createMetricsRegistry();
    // One detector thread: the worker takes three frames at once (one running, the next posted to the thread, one
    // waiting in the detector).
    const pipeline = await startPipeline({ config: queue(4), logger: captureLogs().logger, metrics, input: INPUT, detector, createIngest: ingests.factory });
    t.after(() => pipeline.stop());
    const results: FrameDetections[] = [];
    pipeline.onDetections((d, frame) => {
      results.push(d);
      assert.equal(frame?.data[0], d.sequence % 256, 'the frame handed with the detections is the analysed one');
    });
    await pipeline.addCamera({ cameraId: 'cam-a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    const cam = ingests.byCamera.get('cam-a')!;
    assert.ok(cam.started);

    for (let i = 1; i <= 3; i++) {
      cam.push(); // 1..3: taken by the worker one after the other
      await until(() => detector.pending() === i, `frame ${i} in the detector`);
    }
    for (let i = 0; i < 5; i++) cam.push(); // 4..8 while the detector is busy: one slot left in the queue
    await until(() => pipeline.stats().cameras[0]!.dropped.backpressure === 4, 'frames 4..7 dropped');
    const stats = pipeline.stats().cameras[0]!;
    assert.ok(stats.inFlight <= 4, 'never more than maxFramesInFlight in flight');
    assert.deepEqual(detector.seen, [1, 2, 3]);

    detector.releaseAll();
    await until(() => results.length >= 4, 'four results');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      results.map((r) => r.sequence),
      [1, 2, 3, 8],
      'after the frames under inference, the latest frame is analysed; 4..7 were dropped',
    );
    assert.equal(results[3]!.detections[0]!.score, 8 / 255, 'the pixels of frame 8 reached the detector (copied before ingest reused its buffer)');
    const after = pipeline.stats().cameras[0]!;
    assert.equal(after.dropped.backpressure, 4);
    assert.equal(after.inferred, 4);
    assert.equal(after.inFlight, 0);
    const text = await metrics.metrics();
    assert.match(text, /vigie_frames_dropped_total\{camera="cam-a",reason="backpressure",app="vigie"\} 4/);
    assert.match(text, /vigie_frames_inferred_total\{camera="cam-a",app="vigie"\} 4/);
    assert.match(text, /vigie_detection_latency_seconds_count\{app="vigie"\} 4/);
    assert.match(text, /vigie_queue_depth\{app="vigie"\} 0/);
  });

  it('takes the frames an ingest hands over instead of copying them, and their buffers come back to refill the ingest', async (t) => {
    const detector = new GateDetector(1, true);
    const ingests = new ManualIngests(true);
    const pipeline = await startPipeline({ config: queue(2), logger: captureLogs().logger, input: INPUT, detector, createIngest: ingests.factory });
    t.after(() => pipeline.stop());
    const scores: number[] = [];
    pipeline.onDetections((d) => scores.push(Math.round(d.detections[0]!.score * 255)));
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    const cam = ingests.byCamera.get('a')!;
    for (let i = 1; i <= 6; i++) {
      cam.push();
      await until(() => scores.length === i, `frame ${i} analysed`);
    }
    assert.deepEqual(scores, [1, 2, 3, 4, 5, 6], 'the pixels of each frame reached the detector');
    assert.equal(cam.taken.length, 6, 'every frame was taken, none copied');
    assert.ok(cam.refills.every((b) => b.buffer instanceof SharedArrayBuffer), 'the pool hands out shared memory the detector threads read in place');
    assert.ok(cam.refills.slice(1).some((b) => cam.taken.includes(b)), 'an analysed frame buffer came back to the ingest: no new buffer per frame');
  });

  it('a slow camera does not hold back another one, and removing a camera forgets its frames', async (t) => {
    const detector = new GateDetector(2);
    const ingests = new ManualIngests();
    const pipeline = await startPipeline({ config: queue(1), logger: captureLogs().logger, input: INPUT, detector, createIngest: ingests.factory });
    t.after(() => pipeline.stop());
    const seen: string[] = [];
    pipeline.onDetections((d) => seen.push(`${d.cameraId}:${d.sequence}`));
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    await pipeline.addCamera({ cameraId: 'b', name: 'B', url: 'rtsp://127.0.0.1/b' });
    ingests.byCamera.get('a')!.push();
    ingests.byCamera.get('b')!.push();
    await until(() => detector.pending() === 2, 'one frame of each camera under inference');
    await pipeline.removeCamera('a');
    assert.ok(ingests.byCamera.get('a')!.stopped, 'the ingest of a removed camera is stopped');
    detector.releaseAll();
    await until(() => seen.includes('b:1'), 'camera b analysed');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, ['b:1'], 'the removed camera delivers nothing more');
    assert.deepEqual(pipeline.stats().cameras.map((c) => c.cameraId), ['b']);
  });

  it('frames without a result within the TTL are forgotten and counted, and the camera goes on', async (t) => {
    const detector = new GateDetector(1);
    const ingests = new ManualIngests();
    const logs = captureLogs();
    const config = { queue: { redisUrl: '', prefix: 'vigie', maxFramesInFlight: 1, frameTtlSeconds: 0.3, stalledSeconds: 5 } };
    const pipeline = await startPipeline({ config, logger: logs.logger, input: INPUT, detector, createIngest: ingests.factory });
    t.after(() => pipeline.stop());
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    ingests.byCamera.get('a')!.push(); // stuck in the detector
    await until(() => pipeline.stats().cameras[0]!.dropped.expired === 1, 'the stuck frame expired', 5000);
    assert.match(logs.text(), /frames got no result in time/);
    const results: number[] = [];
    pipeline.onDetections((d) => results.push(d.sequence));
    ingests.byCamera.get('a')!.push();
    detector.releaseAll();
    await until(() => results.includes(2), 'the next frame analysed');
  });
});
