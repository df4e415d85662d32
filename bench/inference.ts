/**
 * Detector throughput against bare onnxruntime: the same model (YOLOX-Nano), the same number of worker threads and
 * intra-op threads, the same pictures (the 8 COCO images, letterboxed by ffmpeg). Baseline, measured in the same
 * run: `measureBareOrt`, sessions fed pre-processed tensors back to back (no copy, no pre-processing, no decoding,
 * no queue). Against it, `detector.detect()` with two frames in flight per worker, measuring frames/s, detect()
 * latency and the main thread's event-loop delay. The two alternate in `--rounds` windows of `--seconds` each, so
 * a shared machine's changing load weighs on both alike.
 *
 *   npm run bench:inference -- [--workers 1] [--threads 1] [--rounds 5] [--seconds 2] [--json]
 *
 * Last line: one JSON object with the figures and ratioToBareOrt (detector frames/s / bare frames/s).
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPreprocessor, measureBareOrt, openDetector, resolveModel } from '../src/inference/index.js';
import { createLogger } from '../src/logging/index.js';
import { letterboxedFrame } from '../test/support/inference-frames.js';
import { SHARED_ASSETS } from '../test/support/paths.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const WORKERS = Number(option('workers', '1'));
const THREADS = Number(option('threads', '1'));
const SECONDS = Number(option('seconds', '2'));
const ROUNDS = Number(option('rounds', '5'));
const JSON_OUT = args.includes('--json');
const log = (line: string) => (JSON_OUT ? console.error(line) : console.log(line));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

const models = { assetDir: process.env.VIGIE_ASSET_DIR ?? SHARED_ASSETS, manifestDir: '', mirror: '' };
const inference = { model: 'yolox-nano', workers: WORKERS, threadsPerSession: THREADS, executionProviders: ['cpu' as const], maxBatch: 8 };
const resolved = await resolveModel(inference, models);
const images = join(SHARED_ASSETS, 'images', 'coco');
const frames = await Promise.all(readdirSync(images).filter((n) => n.endsWith('.jpg')).sort().map((n, i) => letterboxedFrame(join(images, n), { sequence: i })));

const preprocess = createPreprocessor(resolved.spec.input);
const tensors = frames.map((f) => {
  const t = new Float32Array(preprocess.size);
  preprocess.convert(f.data, f.geometry.pixelFormat, t, 0);
  return t;
});
const detector = await openDetector({ inference, models, logger: createLogger({ level: 'warn' }) });
for (const f of frames) await detector.detect(f); // warm-up, as the bare run's
log(`${ROUNDS} rounds of ${SECONDS} s: bare onnxruntime, then the detector; ${WORKERS} worker(s) x ${THREADS} thread(s), ${2 * WORKERS} frames in flight`);
const bareRuns: number[] = [];
let bareFrames = 0;
let bareSeconds = 0;
const latencies: number[] = [];
let detectorSeconds = 0;
const monitor = monitorEventLoopDelay({ resolution: 5 });
for (let round = 0; round < ROUNDS; round++) {
  const bare = await measureBareOrt({ modelPath: resolved.spec.path, input: resolved.spec.input, frames: tensors, workers: WORKERS, threads: THREADS, seconds: SECONDS });
  bareFrames += bare.runs;
  bareSeconds += bare.seconds;
  bareRuns.push(bare.p50Ms);
  monitor.enable();
  const started = performance.now();
  const until = Date.now() + SECONDS * 1000;
  let n = 0;
  const before = latencies.length;
  await Promise.all(
    Array.from({ length: 2 * WORKERS }, async () => {
      while (Date.now() < until) {
        const frame = frames[n++ % frames.length]!;
        const t = performance.now();
        await detector.detect(frame);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  detectorSeconds += elapsed;
  monitor.disable();
  log(`  round ${round + 1}: bare ${bare.fps.toFixed(1)} frames/s, detector ${((latencies.length - before) / elapsed).toFixed(1)} frames/s`);
}
await detector.close();
latencies.sort((a, b) => a - b);
bareRuns.sort((a, b) => a - b);
const bareFps = bareFrames / bareSeconds;
const detectorFps = latencies.length / detectorSeconds;
log(`bare ${bareFps.toFixed(1)} frames/s; detector ${detectorFps.toFixed(1)} frames/s, detect() p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, event-loop delay p99 ${(monitor.percentile(99) / 1e6).toFixed(1)} ms`);

const result = {
  bench: 'inference',
  model: resolved.spec.id,
  workers: WORKERS,
  threadsPerSession: THREADS,
  rounds: ROUNDS,
  secondsPerWindow: SECONDS,
  bare_ort_fps: Number(bareFps.toFixed(2)),
  bare_run_p50_ms: Number(pct(bareRuns, 0.5).toFixed(2)),
  detector_fps: Number(detectorFps.toFixed(2)),
  detect_p50_ms: Number(pct(latencies, 0.5).toFixed(2)),
  detect_p99_ms: Number(pct(latencies, 0.99).toFixed(2)),
  event_loop_delay_p99_ms: Number((monitor.percentile(99) / 1e6).toFixed(2)),
  ratioToBareOrt: Number((detectorFps / bareFps).toFixed(3)),
  loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
};
console.log(JSON.stringify(result));
