import { readFile } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { BareOrtReply, BareOrtWorkerData } from './bare-ort-worker.js';
import type { ProviderName } from './protocol.js';
import { startWorker } from './worker-script.js';

export interface BareOrtOptions {
  /** The model file (e.g. `(await resolveModel(...)).spec.path`). */
  modelPath: string;
  /** Input tensor name and size. @defaultValue YOLOX-Nano's `images`, 416x416 */
  input?: { name: string; width: number; height: number };
  /** Pre-processed input tensors, `[1, 3, height, width]` each, fed in turn. @defaultValue one grey (114) image */
  frames?: readonly Float32Array[];
  /** Worker threads, each with its own session, running at the same time. @defaultValue 1 */
  workers?: number;
  /** intraOpNumThreads of each session. @defaultValue 1 */
  threads?: number;
  /** How long the threads run. @defaultValue 5 */
  seconds?: number;
  /** Stop each thread after this many runs. @defaultValue unlimited */
  maxRunsPerWorker?: number;
  provider?: ProviderName;
}

export interface BareOrtResult {
  /** Runs per second, all threads together. */
  fps: number;
  runs: number;
  seconds: number;
  workers: number;
  threads: number;
  /** Run latency percentiles over every run, milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

/**
 * onnxruntime alone on a model: `workers` threads, one session each, running pre-processed tensors back to back
 * for `seconds`, no decoding, no queue. What the detector's frames/s is compared with (`bare_ort_fps`).
 */
export async function measureBareOrt(options: BareOrtOptions): Promise<BareOrtResult> {
  const model = await readFile(options.modelPath);
  const input = options.input ?? { name: 'images', width: 416, height: 416 };
  const workers = options.workers ?? 1;
  const threads = options.threads ?? 1;
  const seconds = options.seconds ?? 5;
  const frames = options.frames?.length ? [...options.frames] : [new Float32Array(3 * input.width * input.height).fill(114)];
  const data: BareOrtWorkerData = { model, threads, provider: options.provider ?? 'cpu', inputName: input.name, dims: [1, 3, input.height, input.width], tensors: frames };
  const threadsStarted: Worker[] = [];
  try {
    const ready = Array.from({ length: workers }, () => {
      const worker = startWorker('bare-ort-worker', { workerData: data });
      threadsStarted.push(worker);
      return worker;
    });
    const next = (worker: Worker) =>
      new Promise<BareOrtReply>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (reply: BareOrtReply) => {
          worker.off('error', onError);
          if (reply.type === 'failed') reject(new Error(`onnxruntime could not load ${options.modelPath}: ${reply.reason}`));
          else resolve(reply);
        });
      });
    await Promise.all(ready.map(next));
    const done = ready.map(next);
    const until = Date.now() + seconds * 1000;
    for (const worker of ready) worker.postMessage({ until, maxRuns: options.maxRunsPerWorker ?? Number.MAX_SAFE_INTEGER });
    const replies = (await Promise.all(done)) as Extract<BareOrtReply, { type: 'done' }>[];
    const runs = replies.reduce((n, r) => n + r.runs, 0);
    const wall = Math.max(...replies.map((r) => r.ms)) / 1000;
    const latencies = replies.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    return { fps: runs / wall, runs, seconds: wall, workers, threads, p50Ms: pct(0.5), p99Ms: pct(0.99) };
  } finally {
    await Promise.all(threadsStarted.map((w) => w.terminate()));
  }
}
