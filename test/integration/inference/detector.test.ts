import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { loadManifests, type ModelManifest } from '../../../src/assets/index.js';
import { isVigieError } from '../../../src/errors/index.js';
import type { Frame } from '../../../src/frames/index.js';
import { openDetector, type Detector } from '../../../src/inference/index.js';
import type { Detection, FrameDetections } from '../../../src/sdk/index.js';
import { letterboxedFrame } from '../../support/inference-frames.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SHARED_ASSETS, YOLOX_MODEL } from '../../support/paths.js';

const COCO = join(SHARED_ASSETS, 'images', 'coco');
const labels = (d: FrameDetections) => d.detections.map((x) => x.label);
const persons = (d: FrameDetections) => d.detections.filter((x) => x.label === 'person');
const inPicture = (x: Detection) => [x.box.x1, x.box.y1, x.box.x2, x.box.y2].every((v) => v >= 0 && v <= 1) && x.box.x2 > x.box.x1 && x.box.y2 > x.box.y1;

describe('inference: detector on the YOLOX-Nano model', () => {
  let assetDir: string;
  let detector: Detector;
  const metrics = new Registry();
  const logs = captureLogs('info');

  before(async () => {
    assetDir = await mkdtemp(join(tmpdir(), 'vigie-inference-'));
    await mkdir(join(assetDir, 'models'));
    await symlink(YOLOX_MODEL, join(assetDir, 'models', 'yolox_nano.onnx'));
    detector = await openDetector({
      inference: { model: 'yolox-nano', workers: 1, threadsPerSession: 1, executionProviders: ['cpu'], maxBatch: 8 },
      models: { assetDir, manifestDir: '', mirror: '' },
      logger: logs.logger,
      metrics,
    });
  });

  after(async () => {
    await detector?.close();
    await rm(assetDir, { recursive: true, force: true });
  });

  it('opens the verified model and says so', async () => {
    const manifest = (await loadManifests()).find((m): m is ModelManifest => m.kind === 'model' && m.id === 'yolox-nano')!;
    assert.equal(detector.model.id, 'yolox-nano');
    assert.ok(manifest.builds.some((b) => b.sha256 === detector.model.sha256), 'sha256 of a known build');
    assert.deepEqual(detector.model.input, { width: 416, height: 416, pixelFormat: 'bgr24' });
    assert.equal(detector.model.classes[0], 'person');
    assert.equal(detector.workerCount, 1);
    const ready = logs.lines().find((l) => String(l.msg).startsWith('detector ready'));
    assert.ok(ready, logs.text());
    assert.equal(ready.provider, 'cpu');
    assert.equal(ready.sha256, detector.model.sha256);
  });

  it('finds the objects of COCO pictures, boxes normalised to the picture, frames queued while the worker is busy', async () => {
    const names = ['000000000785', '000000000872', '000000000285', '000000000724'];
    const frames = await Promise.all(names.map((n, i) => letterboxedFrame(join(COCO, `${n}.jpg`), { cameraId: `cam-${n}`, sequence: i + 1 })));
    const [skier, baseball, bear, stop] = await Promise.all(frames.map((f) => detector.detect(f)));
    for (const [d, f] of [[skier, frames[0]], [baseball, frames[1]], [bear, frames[2]], [stop, frames[3]]] as const) {
      assert.equal(d!.cameraId, f!.cameraId);
      assert.equal(d!.sequence, f!.sequence);
      assert.equal(d!.captureTime, f!.captureTime);
      assert.deepEqual([d!.width, d!.height], [f!.geometry.sourceWidth, f!.geometry.sourceHeight], 'size of the camera picture, not of the model input');
      assert.deepEqual(d!.model, { id: 'yolox-nano', sha256: detector.model.sha256 });
      assert.ok(d!.detections.every(inPicture), JSON.stringify(d!.detections));
      assert.ok(d!.detections.every((x) => x.score >= 0.3 && x.score <= 1));
    }
    // A skier across most of the picture's height, in its right half (640x425 picture).
    const [person] = persons(skier!);
    assert.ok(person && person.score > 0.6, JSON.stringify(skier!.detections));
    assert.ok(person.box.y2 - person.box.y1 > 0.6 && (person.box.x1 + person.box.x2) / 2 > 0.45 && (person.box.x1 + person.box.x2) / 2 < 0.75, JSON.stringify(person.box));
    assert.ok(labels(skier!).includes('skis'));
    // Batter and catcher: two people, each taller than wide.
    assert.ok(persons(baseball!).length >= 2, JSON.stringify(baseball!.detections));
    for (const p of persons(baseball!).slice(0, 2)) assert.ok(p.box.y2 - p.box.y1 > p.box.x2 - p.box.x1, JSON.stringify(p.box));
    // A bear filling the picture, and nobody.
    assert.equal(bear!.detections[0]?.label, 'bear');
    assert.ok(bear!.detections[0].box.x2 - bear!.detections[0].box.x1 > 0.8);
    assert.equal(persons(bear!).length, 0);
    assert.ok(labels(stop!).includes('stop sign'), JSON.stringify(stop!.detections));
  });

  it('gives the same detections for the same picture in rgb24', async () => {
    const bgr = await letterboxedFrame(join(COCO, '000000000872.jpg'));
    const rgb = Buffer.from(bgr.data);
    for (let p = 0; p < rgb.length; p += 3) [rgb[p], rgb[p + 2]] = [rgb[p + 2]!, rgb[p]!];
    const a = await detector.detect(bgr);
    const b = await detector.detect({ ...bgr, data: rgb, geometry: { ...bgr.geometry, pixelFormat: 'rgb24' } });
    assert.deepEqual(labels(a), labels(b));
    a.detections.forEach((x, i) => assert.ok(Math.abs(x.box.x1 - b.detections[i]!.box.x1) < 1e-4 && Math.abs(x.score - b.detections[i]!.score) < 1e-4));
  });

  it('reads a frame held in shared memory in place (no copy), with the same detections as a copied one', async () => {
    const frame = await letterboxedFrame(join(COCO, '000000000872.jpg'));
    // A frame at an offset inside a larger shared block, as a pool of frame buffers would hold it.
    const block = new SharedArrayBuffer(frame.data.length + 4096);
    const shared = Buffer.from(block, 4096, frame.data.length);
    frame.data.copy(shared);
    const [copied, inPlace] = await Promise.all([detector.detect(frame), detector.detect({ ...frame, data: shared })]);
    assert.ok(persons(inPlace).length >= 2, JSON.stringify(inPlace.detections));
    assert.deepEqual(inPlace.detections, copied.detections);
    assert.ok(shared.equals(frame.data), 'the shared pixels are left as they were');
  });

  it('finds the pedestrians of the campus clip (768x576, letterboxed with padding below)', async () => {
    const frame = await letterboxedFrame(SAMPLE_CLIP, { seekSeconds: 10 });
    assert.ok(frame.geometry.sourceHeight * frame.geometry.scale < 416, 'the picture leaves padding at the bottom');
    const result = await detector.detect(frame);
    assert.deepEqual([result.width, result.height], [768, 576]);
    const people = persons(result);
    assert.ok(people.length >= 3, JSON.stringify(result.detections));
    for (const p of people) {
      assert.ok(inPicture(p));
      const h = p.box.y2 - p.box.y1;
      assert.ok(h > 0.05 && h < 0.6, `a pedestrian seen from above is a small upright box: ${JSON.stringify(p.box)}`);
      assert.ok(h * 576 > (p.box.x2 - p.box.x1) * 768, `taller than wide in picture pixels: ${JSON.stringify(p.box)}`);
    }
  });

  it('refuses a frame that is not the model input, naming the sizes', async () => {
    const frame: Frame = {
      cameraId: 'cam-1',
      sequence: 7,
      captureTime: Date.now(),
      geometry: { width: 320, height: 320, sourceWidth: 640, sourceHeight: 480, scale: 0.5, padX: 0, padY: 0, pixelFormat: 'bgr24' },
      data: Buffer.alloc(320 * 320 * 3),
    };
    await assert.rejects(detector.detect(frame), (e: unknown) => isVigieError(e) && e.code === 'INFERENCE_FAILED' && /320x320.*416x416/.test(e.message) && /letterbox/.test(e.hint ?? ''));
    await assert.rejects(detector.detect({ ...frame, geometry: { ...frame.geometry, width: 416, height: 416 } }), /holds 307200 bytes/);
  });

  it('keeps the main thread responsive while inference runs: event-loop delay p99 under 50 ms', async (t) => {
    const frame = await letterboxedFrame(join(COCO, '000000000139.jpg'));
    const monitor = monitorEventLoopDelay({ resolution: 5 });
    monitor.enable();
    const until = Date.now() + 3000;
    let frames = 0;
    // Two frames in flight at all times, so the worker never waits for the main thread.
    await Promise.all(
      [0, 1].map(async () => {
        while (Date.now() < until) {
          await detector.detect({ ...frame, sequence: ++frames });
        }
      }),
    );
    monitor.disable();
    const p99 = monitor.percentile(99) / 1e6;
    t.diagnostic(`${frames} frames in 3 s (${(frames / 3).toFixed(1)} frames/s), event-loop delay p50 ${(monitor.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(monitor.max / 1e6).toFixed(1)} ms`);
    assert.ok(frames > 3, `frames analysed: ${frames}`);
    assert.ok(p99 < 50, `event-loop delay p99 ${p99.toFixed(1)} ms`);
  });

  it('records the inference latency histogram on the registry it was given', async () => {
    const text = await metrics.metrics();
    const count = Number(/vigie_inference_latency_seconds_count\{model="yolox-nano"\} (\d+)/.exec(text)?.[1]);
    const ok = Number(/vigie_inference_frames_total\{model="yolox-nano",outcome="ok"\} (\d+)/.exec(text)?.[1]);
    assert.ok(count >= 7, text);
    assert.equal(count, ok);
    assert.match(text, /vigie_inference_run_seconds_count\{model="yolox-nano",provider="cpu"\} \d+/);
    assert.match(text, /vigie_inference_frames_total\{model="yolox-nano",outcome="error"\} 2/);
    assert.match(text, /vigie_inference_queued_frames\{model="yolox-nano"\} 0/);
  });
});
