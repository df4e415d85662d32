import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Frame } from '../../../src/frames/index.js';
import { measureBareOrt, openDetector, resolveModel } from '../../../src/inference/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { installModel, tinyUltralyticsManifest, tinyUltralyticsModel } from '../../support/inference-models.js';
import { modelAssetDir } from '../../support/inference-frames.js';
import { tempDir } from '../../support/temp.js';

/**
 * A 4x4 frame of an 8x8 picture for the tiny model: anchor 0 a person over the whole frame, anchor 1 a 1-pixel car
 * whose centre x depends on `k` (channel 0 of pixel 1 = 32 + 32k), so each frame's detections are its own.
 */
function tinyFrame(k: number): Frame {
  const data = Buffer.alloc(48);
  const set = (pixel: number, channel: 0 | 1 | 2, value: number) => (data[pixel * 3 + channel] = value);
  set(0, 0, 128); set(8, 0, 128); set(0, 1, 255); set(8, 1, 255); set(0, 2, 230); // person: centre (2, 2), 4x4, score 0.9
  set(1, 0, 32 + 32 * k); set(9, 0, 64); set(1, 1, 64); set(9, 1, 64); set(9, 2, 204); // car: 1x1, score 0.8
  return {
    cameraId: `cam-${k % 2}`,
    sequence: k,
    captureTime: 1_700_000_000_000 + k,
    geometry: { width: 4, height: 4, sourceWidth: 8, sourceHeight: 8, scale: 0.5, padX: 0, padY: 0, pixelFormat: 'bgr24' },
    data,
  };
}

describe('inference: batching and the bare onnxruntime yardstick', () => {
  it('batches frames of several cameras into one run when the model has a dynamic batch axis, each frame getting its own detections', async (t) => {
    const root = await tempDir(t, 'vigie-inference-');
    const model = tinyUltralyticsModel();
    const models = { assetDir: join(root, 'assets'), manifestDir: join(root, 'manifests'), mirror: '' };
    await installModel(models.assetDir, models.manifestDir, 'tiny.onnx', model, tinyUltralyticsManifest('tiny.onnx', model));
    const metrics = new Registry();
    const detector = await openDetector({
      inference: { model: 'tiny-ultralytics', workers: 1, threadsPerSession: 1, executionProviders: ['cpu'], maxBatch: 4 },
      models,
      logger: silentLogger(),
      metrics,
    });
    t.after(() => detector.close());
    // Six frames at once: the first goes to the idle worker alone, the next four in one batch, the last alone.
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => detector.detect(tinyFrame(k))));
    results.forEach((r, k) => {
      assert.equal(r.sequence, k);
      assert.equal(r.cameraId, `cam-${k % 2}`);
      assert.deepEqual(r.detections.map((d) => d.label), ['person', 'car']);
      const [person, car] = r.detections as [typeof r.detections[0], typeof r.detections[0]];
      assert.ok(Math.abs(person.score - 230 / 255) < 1e-4);
      assert.ok(person.box.x1 < 0.01 && person.box.y1 < 0.01 && person.box.x2 === 1 && person.box.y2 === 1, JSON.stringify(person.box));
      assert.equal(car.classId, 1);
      // Centre in model pixels (32 + 32k) * 4/255, in the 8-pixel picture at scale 0.5: / 0.5 / 8.
      const centre = (car.box.x1 + car.box.x2) / 2;
      assert.ok(Math.abs(centre - ((32 + 32 * k) * 4) / 255 / 4) < 1e-4, `frame ${k}: car centre ${centre}`);
    });
    const text = await metrics.metrics();
    assert.match(text, /vigie_inference_run_seconds_count\{model="tiny-ultralytics",provider="cpu"\} 3\n/, text);
    assert.match(text, /vigie_inference_frames_total\{model="tiny-ultralytics",outcome="ok"\} 6\n/);
  });

  it('without a dynamic batch axis, one frame per run', async (t) => {
    const root = await tempDir(t, 'vigie-inference-');
    const model = tinyUltralyticsModel();
    const models = { assetDir: join(root, 'assets'), manifestDir: join(root, 'manifests'), mirror: '' };
    await installModel(models.assetDir, models.manifestDir, 'tiny.onnx', model, tinyUltralyticsManifest('tiny.onnx', model, { batch: 'fixed' }));
    const metrics = new Registry();
    const detector = await openDetector({ inference: { model: 'tiny-ultralytics', workers: 1, threadsPerSession: 1, executionProviders: ['cpu'], maxBatch: 4 }, models, logger: silentLogger(), metrics });
    t.after(() => detector.close());
    await Promise.all([0, 1, 2, 3].map((k) => detector.detect(tinyFrame(k))));
    assert.match(await metrics.metrics(), /vigie_inference_run_seconds_count\{model="tiny-ultralytics",provider="cpu"\} 4\n/);
  });

  it('measureBareOrt runs onnxruntime alone on the same model and reports frames/s', async (t) => {
    const assetDir = await modelAssetDir(t);
    const { spec } = await resolveModel({ model: 'yolox-nano' }, { assetDir, manifestDir: '' });
    const result = await measureBareOrt({ modelPath: spec.path, input: { name: spec.input.name, width: spec.input.width, height: spec.input.height }, workers: 1, threads: 1, seconds: 1 });
    t.diagnostic(`bare onnxruntime: ${result.fps.toFixed(1)} frames/s, p50 ${result.p50Ms.toFixed(1)} ms`);
    assert.ok(result.runs > 0 && result.fps > 0 && result.p50Ms > 0);
    assert.equal(result.workers, 1);
    assert.ok(Math.abs(result.fps - result.runs / result.seconds) < 1e-9);
  });
});
