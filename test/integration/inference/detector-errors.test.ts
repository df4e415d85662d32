import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { isVigieError } from '../../../src/errors/index.js';
import type { Worker } from 'node:worker_threads';
import { openDetector, resolveModel, type DetectorOptions } from '../../../src/inference/index.js';
import { PooledDetector } from '../../../src/inference/detector.js';
import { startWorker } from '../../../src/inference/worker-script.js';
import { letterboxedFrame, modelAssetDir } from '../../support/inference-frames.js';
import { installModel, tinyUltralyticsManifest, tinyUltralyticsModel } from '../../support/inference-models.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, YOLOX_MODEL } from '../../support/paths.js';
import { silentLogger } from '../../../src/logging/index.js';
import { tempDir } from '../../support/temp.js';

const inference = (model: string, executionProviders: DetectorOptions['inference']['executionProviders'] = ['cpu']): DetectorOptions['inference'] => ({
  model,
  workers: 1,
  threadsPerSession: 1,
  executionProviders,
  maxBatch: 8,
});

function code(expected: string, pattern?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(isVigieError(e), `a VigieError, got ${String(e)}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    assert.ok(e.hint, 'the error says how to fix it');
    return true;
  };
}

/** Whether this onnxruntime-node install carries the CUDA provider library (it is downloaded at postinstall, if at all). */
function cudaProviderInstalled(): boolean {
  const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  return existsSync(join(binding, '..', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'));
}

async function tinyModelDirs(t: TestContext, overrides: Parameters<typeof tinyUltralyticsManifest>[2] = {}, model = tinyUltralyticsModel()) {
  const root = await tempDir(t, 'vigie-inference-');
  const assetDir = join(root, 'assets');
  const manifestDir = join(root, 'manifests');
  await installModel(assetDir, manifestDir, 'tiny.onnx', model, tinyUltralyticsManifest('tiny.onnx', model, overrides));
  return { assetDir, manifestDir, mirror: '' };
}

describe('inference: model and provider errors', () => {
  it('refuses a model file with a wrong checksum, before starting any thread', async (t) => {
    const assetDir = await tempDir(t, 'vigie-inference-');
    await mkdir(join(assetDir, 'models'));
    const corrupt = await readFile(YOLOX_MODEL);
    corrupt[corrupt.length - 10] = corrupt[corrupt.length - 10]! ^ 0xff;
    await writeFile(join(assetDir, 'models', 'yolox_nano.onnx'), corrupt);
    await assert.rejects(
      openDetector({ inference: inference('yolox-nano'), models: { assetDir, manifestDir: '', mirror: '' }, logger: silentLogger() }),
      code('MODEL_CHECKSUM_MISMATCH', /model "yolox-nano" refused: .*yolox_nano\.onnx does not match its manifest/),
    );
  });

  it('names the missing file and the unknown model', async (t) => {
    const assetDir = await tempDir(t, 'vigie-inference-');
    await assert.rejects(openDetector({ inference: inference('yolox-nano'), models: { assetDir, manifestDir: '', mirror: '' }, logger: silentLogger() }), code('ASSET_MISSING', /yolox_nano\.onnx does not exist/));
    await assert.rejects(openDetector({ inference: inference('yolo-huge'), models: { assetDir, manifestDir: '', mirror: '' }, logger: silentLogger() }), code('CONFIG_INVALID', /inference\.model: no model manifest "yolo-huge\.json" \(known models: .*yolox-nano/));
  });

  it('reports a file onnxruntime cannot load, and a manifest that does not describe the model (input name, class count)', async (t) => {
    const garbage = new TextEncoder().encode('this is not an ONNX model');
    await assert.rejects(
      openDetector({ inference: inference('tiny-ultralytics'), models: await tinyModelDirs(t, {}, garbage), logger: silentLogger() }),
      code('MODEL_LOAD_FAILED', /model "tiny-ultralytics" \(.*tiny\.onnx\) cannot be loaded/),
    );
    await assert.rejects(
      openDetector({ inference: inference('tiny-ultralytics'), models: await tinyModelDirs(t, { inputName: 'pixels' }), logger: silentLogger() }),
      code('MODEL_LOAD_FAILED', /the manifest's input "pixels" is not in the model \(inputs: images\)/),
    );
    await assert.rejects(
      openDetector({ inference: inference('tiny-ultralytics'), models: await tinyModelDirs(t, { classes: ['person', 'car', 'bus'] }), logger: silentLogger() }),
      code('MODEL_LOAD_FAILED', /output "output0" has 2 class channels, the manifest lists 3 classes/),
    );
  });

  it("falls back from cuda to cpu with a log line when the CUDA provider is not installed, and refuses ['cuda'] alone", async (t) => {
    const models = await tinyModelDirs(t);
    const logs = captureLogs('info');
    const detector = await openDetector({ inference: inference('tiny-ultralytics', ['cuda', 'cpu']), models, logger: logs.logger });
    t.after(() => detector.close());
    if (cudaProviderInstalled()) {
      assert.equal(detector.provider, 'cuda');
      return;
    }
    assert.equal(detector.provider, 'cpu');
    const fallback = logs.lines().filter((l) => l.level === 'warn' && l.provider === 'cuda');
    assert.equal(fallback.length, 1, `one line for the detector, not one per thread:\n${logs.text()}`);
    assert.equal(fallback[0]!.fallback, 'cpu');
    assert.match(String(fallback[0]!.msg), /^execution provider cuda unavailable, falling back to cpu: .+/);
    await assert.rejects(
      openDetector({ inference: inference('tiny-ultralytics', ['cuda']), models, logger: silentLogger() }),
      code('EXECUTION_PROVIDER_UNAVAILABLE', /no execution provider of \[cuda\] could load it: cuda: /),
    );
  });

  it('refuses frames after close(), and those still queued at close()', async (t) => {
    const models = await tinyModelDirs(t);
    const detector = await openDetector({ inference: inference('tiny-ultralytics'), models, logger: silentLogger() });
    const frame = {
      cameraId: 'cam-1',
      sequence: 1,
      captureTime: Date.now(),
      geometry: { width: 4, height: 4, sourceWidth: 8, sourceHeight: 8, scale: 0.5, padX: 0, padY: 0, pixelFormat: 'bgr24' as const },
      data: Buffer.alloc(48),
    };
    const settled = Promise.allSettled([detector.detect(frame), detector.detect({ ...frame, sequence: 2 })]);
    await detector.close();
    const outcomes = await settled;
    for (const o of outcomes) if (o.status === 'rejected') code('INFERENCE_FAILED', /closed before the frame was analysed/)(o.reason);
    assert.ok(outcomes.some((o) => o.status === 'rejected'), 'the queued frame is refused, not left hanging');
    await assert.rejects(detector.detect(frame), code('INFERENCE_FAILED', /is closed: frame 1 of camera cam-1 not analysed/));
  });

  it('fails the frame of a worker thread that dies, starts another thread, and goes on', async (t) => {
    const models = { assetDir: await modelAssetDir(t), manifestDir: '', mirror: '' };
    const logs = captureLogs('info');
    const threads: Worker[] = [];
    const options: DetectorOptions = { inference: inference('yolox-nano'), models, logger: logs.logger };
    const detector = new PooledDetector(await resolveModel(options.inference, models), options, (name, o) => {
      const worker = startWorker(name, o);
      threads.push(worker);
      return worker;
    });
    await detector.start();
    t.after(() => detector.close());
    const frame = await letterboxedFrame(SAMPLE_CLIP, { seekSeconds: 10, cameraId: 'cam-7', sequence: 41 });
    const inFlight = detector.detect(frame);
    await threads[0]!.terminate();
    await assert.rejects(inFlight, code('INFERENCE_FAILED', /inference worker thread exited \(code 1\) while analysing frame 41 of camera cam-7/));
    const next = await detector.detect({ ...frame, sequence: 42 });
    assert.ok(next.detections.some((d) => d.label === 'person'), 'the replacement thread analyses frames');
    assert.equal(threads.length, 2);
    assert.ok(logs.lines().some((l) => l.level === 'error' && /inference worker thread exited \(code 1\); starting another in 1 s/.test(String(l.msg))), logs.text());
  });
});
