import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ExecutionProviderError, InferenceError, ModelLoadError } from '../errors/index.js';
import { frameByteLength, type Frame, type FrameGeometry } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import { threadCpuSeconds, type Registry } from '../metrics/index.js';
import type { FrameDetections } from '../sdk/index.js';
import { InferenceMetrics } from './metrics.js';
import { resolveModel, type InferenceConfig, type ModelsConfig, type ResolvedModel } from './model.js';
import type { DetectorWorkerData, ProviderFallback, ProviderName, RunRequest, WorkerReply } from './protocol.js';
import { startWorker } from './worker-script.js';

export interface DetectorOptions {
  inference: InferenceConfig;
  models: ModelsConfig;
  logger: Logger;
  /** Where the inference metrics are registered (latency histogram, run histogram, frames, queue). */
  metrics?: Registry;
  /**
   * Without `inference.scoreThreshold`: the manifest's score threshold lowered to this (give the tracker's
   * `tracking.lowScore`, so that its second pass sees the low-confidence boxes). @defaultValue the manifest's
   */
  defaultScoreAtMost?: number;
}

/** What the detector says about its model. */
export interface DetectorModel {
  id: string;
  sha256: string;
  classes: readonly string[];
  input: { width: number; height: number; pixelFormat: 'bgr24' | 'rgb24' };
}

export interface Detector {
  readonly model: DetectorModel;
  /**
   * Detects objects in one frame. `frame.data` is the model input (letterboxed by ingest per `frame.geometry`)
   * and is copied before this returns, so the caller may reuse it; except a buffer over a SharedArrayBuffer, which
   * the worker thread reads in place (no copy): the caller then leaves it unchanged until the promise settles.
   * Boxes come back normalised to the camera picture. Concurrent calls run on the free workers and, when the model
   * has a dynamic batch axis and every worker is busy, are batched (up to `inference.maxBatch`). Rejects with
   * InferenceError.
   */
  detect(frame: Frame): Promise<FrameDetections>;
  /** Worker threads, each with its own session. */
  readonly workerCount: number;
  /** Frames waiting for a free worker. */
  readonly queued: number;
  /** The execution provider the sessions run on. */
  readonly provider: ProviderName;
  /**
   * CPU seconds the worker threads now running have used since they started (Linux /proc; undefined elsewhere):
   * sampled twice, it tells how many cores inference really got, against what the decoders and the rest took.
   */
  threadCpuSeconds(): Promise<number | undefined>;
  close(): Promise<void>;
}

/**
 * Verifies the model (sha256 against its manifest), starts the worker threads and opens one session in each.
 * Throws ConfigError (unknown model), AssetMissingError, ModelChecksumError, ModelLoadError or ExecutionProviderError.
 */
export async function openDetector(options: DetectorOptions): Promise<Detector> {
  const resolved = await resolveModel(options.inference, options.models, options.defaultScoreAtMost === undefined ? {} : { defaultScoreAtMost: options.defaultScoreAtMost });
  const detector = new PooledDetector(resolved, options);
  await detector.start();
  return detector;
}

interface Job {
  frame: Omit<Frame, 'data'>;
  /** The pixels as the worker gets them: transferred (a copy) or shared. */
  data: RunRequest['frames'][number]['data'];
  byteOffset: number;
  byteLength: number;
  enqueued: number;
  resolve: (d: FrameDetections) => void;
  reject: (e: unknown) => void;
}

/** One run request posted to a worker and not answered yet. */
interface Batch {
  id: number;
  jobs: Job[];
}

interface Slot {
  worker: Worker;
  /** Kernel thread id of the worker, where /proc tells. */
  threadId?: number;
  /** Requests posted to the worker, oldest first; the worker runs them one after the other. */
  batches: Batch[];
  dynamicBatch: boolean;
}

/**
 * Run requests a worker holds at once: the one it runs and the next, already in its message queue. With one, the
 * worker idles from the moment it posts a result until the main thread (busy reading ffmpeg pipes, or waiting for
 * a core the decoders hold) answers with the next frame: measured 30 % of the worker's time at saturation on 2
 * vCPU. Two keep it busy and add at most one run of latency at saturation, none below it.
 */
export const REQUESTS_PER_WORKER = 2;

const RESPAWN_DELAY_MS = 1000;
const PROVIDER_HINT: Record<ProviderName, string> = {
  cuda: 'the CUDA provider needs libonnxruntime_providers_{shared,cuda}.so beside the onnxruntime-node binding, CUDA 12 and cuDNN 9',
  tensorrt: 'the TensorRT provider needs libonnxruntime_providers_{shared,tensorrt}.so beside the onnxruntime-node binding, CUDA 12, cuDNN 9 and TensorRT',
  cpu: 'the CPU provider is built in: the model itself could not be loaded',
};
const MAX_RESPAWN_DELAY_MS = 30_000;

/** The detector behind `openDetector`: a queue of frames in front of a pool of worker threads. */
export class PooledDetector implements Detector {
  readonly model: DetectorModel;
  readonly workerCount: number;
  provider: ProviderName = 'cpu';
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private readonly logger: Logger;
  private readonly metrics: InferenceMetrics | undefined;
  private unwatch: (() => void) | undefined;
  private nextId = 1;
  private closed = false;
  private respawns = new Set<NodeJS.Timeout>();
  private readonly pixelFormat: 'bgr24' | 'rgb24';

  constructor(
    private readonly resolved: ResolvedModel,
    private readonly options: DetectorOptions,
    /** Starts a worker thread (tests wrap it to reach the threads). */
    private readonly startThread: typeof startWorker = startWorker,
  ) {
    const { spec } = resolved;
    this.pixelFormat = spec.input.channelOrder === 'RGB' ? 'rgb24' : 'bgr24';
    this.model = { id: spec.id, sha256: spec.sha256, classes: spec.classes, input: { width: spec.input.width, height: spec.input.height, pixelFormat: this.pixelFormat } };
    this.workerCount = options.inference.workers || availableParallelism();
    this.logger = options.logger.child({ model: spec.id });
    this.metrics = options.metrics ? InferenceMetrics.for(options.metrics) : undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  async threadCpuSeconds(): Promise<number | undefined> {
    const ids = [...this.slots].map((s) => s.threadId);
    if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
    const times = await Promise.all(ids.map((id) => threadCpuSeconds(id!)));
    return times.reduce<number>((sum, t) => sum + (t ?? 0), 0);
  }

  async start(): Promise<void> {
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: this.workerCount }, () => this.spawn()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await this.close();
      throw failure.reason;
    }
    const ready = (results as PromiseFulfilledResult<{ slot: Slot; reply: Extract<WorkerReply, { type: 'ready' }> }>[]).map((r) => r.value);
    const first = ready[0]!.reply;
    this.provider = first.provider;
    this.unwatch = this.metrics?.watchQueue(this.model.id, () => this.queue.length);
    this.logger.info(
      {
        sha256: this.model.sha256,
        workers: this.workerCount,
        threadsPerSession: this.options.inference.threadsPerSession,
        provider: first.provider,
        dynamicBatch: first.dynamicBatch,
        maxBatch: first.dynamicBatch ? this.options.inference.maxBatch : 1,
        ms: Date.now() - started,
      },
      `detector ready: model ${this.model.id} on ${first.provider}, ${this.workerCount} worker thread${this.workerCount === 1 ? '' : 's'}`,
    );
  }

  detect(frame: Frame): Promise<FrameDetections> {
    if (this.closed) return Promise.reject(new InferenceError(`detector for model "${this.model.id}" is closed: frame ${frame.sequence} of camera ${frame.cameraId} not analysed`, { hint: 'open a new detector; frames sent after close() are refused' }));
    const problem = this.checkFrame(frame.geometry, frame.data.length);
    if (problem) {
      this.metrics?.frames.inc({ model: this.model.id, outcome: 'error' });
      return Promise.reject(new InferenceError(`frame ${frame.sequence} of camera ${frame.cameraId} does not fit model "${this.model.id}": ${problem}`, {
        hint: `letterbox frames to the model input, ${this.model.input.width}x${this.model.input.height} ${this.model.input.pixelFormat} (see detector.model.input)`,
      }));
    }
    const pixels = frame.data;
    let where: Pick<Job, 'data' | 'byteOffset' | 'byteLength'>;
    if (pixels.buffer instanceof SharedArrayBuffer) {
      where = { data: pixels.buffer, byteOffset: pixels.byteOffset, byteLength: pixels.byteLength };
    } else {
      const copy = new ArrayBuffer(pixels.byteLength);
      new Uint8Array(copy).set(pixels);
      where = { data: copy, byteOffset: 0, byteLength: copy.byteLength };
    }
    const meta = { cameraId: frame.cameraId, sequence: frame.sequence, captureTime: frame.captureTime, geometry: frame.geometry };
    return new Promise<FrameDetections>((resolve, reject) => {
      this.queue.push({ frame: meta, ...where, enqueued: performance.now(), resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.respawns) clearTimeout(timer);
    this.respawns.clear();
    this.unwatch?.();
    const refused = () => new InferenceError(`detector for model "${this.model.id}" closed before the frame was analysed`, { hint: 'frames in flight at close() are dropped; close the detector after the pipeline stops' });
    for (const job of this.queue.splice(0)) job.reject(refused());
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) for (const batch of slot.batches.splice(0)) for (const job of batch.jobs) job.reject(refused());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private checkFrame(geometry: FrameGeometry, bytes: number): string | undefined {
    const { width, height } = this.model.input;
    if (geometry.width !== width || geometry.height !== height) return `the frame is ${geometry.width}x${geometry.height}, the model input is ${width}x${height}`;
    if (bytes !== frameByteLength(geometry)) return `the frame holds ${bytes} bytes, ${geometry.width}x${geometry.height}x3 = ${frameByteLength(geometry)} expected`;
    if (geometry.pixelFormat !== 'bgr24' && geometry.pixelFormat !== 'rgb24') return `pixel format ${String(geometry.pixelFormat)} is not bgr24 or rgb24`;
    return undefined;
  }

  /** Hands waiting frames to the workers: first to idle ones, then a second request to each busy one. */
  private pump(): void {
    for (let depth = 1; depth <= REQUESTS_PER_WORKER; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (slot.batches.length >= depth) continue;
        const jobs = this.queue.splice(0, slot.dynamicBatch ? this.options.inference.maxBatch : 1);
        const request: RunRequest = { type: 'run', id: this.nextId++, frames: jobs.map((j) => ({ data: j.data, byteOffset: j.byteOffset, byteLength: j.byteLength, geometry: j.frame.geometry })) };
        slot.batches.push({ id: request.id, jobs });
        // Copies move to the worker; shared memory is shared, never in the transfer list.
        slot.worker.postMessage(request, jobs.flatMap((j) => (j.data instanceof ArrayBuffer ? [j.data] : [])));
      }
    }
  }

  private finish(slot: Slot, reply: Extract<WorkerReply, { type: 'result' | 'error' }>): void {
    const index = slot.batches.findIndex((b) => b.id === reply.id);
    if (index < 0) {
      this.logger.warn({ id: reply.id }, `inference worker answered request ${reply.id}, which it was not given: ignored`);
      return;
    }
    const [{ jobs }] = slot.batches.splice(index, 1) as [Batch];
    const now = performance.now();
    const model = this.model.id;
    if (reply.type === 'result') {
      this.metrics?.run.observe({ model, provider: this.provider }, reply.runMs / 1000);
      jobs.forEach((job, i) => {
        const { frame } = job;
        this.metrics?.latency.observe({ model }, (now - job.enqueued) / 1000);
        this.metrics?.frames.inc({ model, outcome: 'ok' });
        job.resolve({
          cameraId: frame.cameraId,
          sequence: frame.sequence,
          captureTime: frame.captureTime,
          width: frame.geometry.sourceWidth,
          height: frame.geometry.sourceHeight,
          model: { id: model, sha256: this.model.sha256 },
          detections: reply.detections[i] ?? [],
        });
      });
    } else {
      this.logger.warn({ reason: reply.message, frames: jobs.length }, `inference failed on ${jobs.length} frame${jobs.length === 1 ? '' : 's'}: ${reply.message}`);
      for (const job of jobs) {
        this.metrics?.frames.inc({ model, outcome: 'error' });
        job.reject(new InferenceError(`model "${model}" failed on frame ${job.frame.sequence} of camera ${job.frame.cameraId}: ${reply.message}`));
      }
    }
    this.pump();
  }

  /** Starts one worker; resolves once its session is open, rejects with the error naming the cause. */
  private spawn(): Promise<{ slot: Slot; reply: Extract<WorkerReply, { type: 'ready' }> }> {
    const { spec, bytes } = this.resolved;
    const data: DetectorWorkerData = { spec, model: bytes, providers: this.options.inference.executionProviders, threads: this.options.inference.threadsPerSession };
    const worker = this.startThread('detector-worker', { workerData: data, name: `vigie-inference-${spec.id}` });
    const slot: Slot = { worker, batches: [], dynamicBatch: false };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (reply: WorkerReply) => {
        switch (reply.type) {
          case 'ready':
            ready = true;
            slot.dynamicBatch = reply.dynamicBatch;
            slot.threadId = reply.threadId;
            this.logFallbacks(reply.fallbacks, reply.provider);
            if (this.closed) {
              void worker.terminate();
              reject(new InferenceError(`detector for model "${spec.id}" closed while starting`));
              return;
            }
            this.slots.add(slot);
            resolve({ slot, reply });
            this.pump();
            return;
          case 'failed':
            this.logFallbacks(reply.fallbacks, undefined);
            void worker.terminate();
            reject(
              reply.kind === 'provider'
                ? new ExecutionProviderError(spec.id, this.options.inference.executionProviders, reply.reason)
                : new ModelLoadError(spec.id, spec.path, reply.reason),
            );
            return;
          case 'result':
          case 'error':
            this.finish(slot, reply);
            return;
        }
      });
      worker.on('error', (error) => {
        if (!ready) {
          reject(new InferenceError(`inference worker thread for model "${spec.id}" failed to start: ${error.message}`, { cause: error }));
          return;
        }
        this.logger.error({ err: error }, `inference worker thread crashed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        if (!ready) {
          reject(new InferenceError(`inference worker thread for model "${spec.id}" exited with code ${code} while starting`));
          return;
        }
        if (this.closed || !this.slots.has(slot)) return;
        this.lost(slot, code);
      });
    });
  }

  /** A worker died: fail its frames, and start another one after a pause (doubling while restarts fail). */
  private lost(slot: Slot, code: number, delayMs = RESPAWN_DELAY_MS): void {
    this.slots.delete(slot);
    const jobs = slot.batches.splice(0).flatMap((b) => b.jobs);
    this.logger.error({ code, frames: jobs.length }, `inference worker thread exited (code ${code}); starting another in ${delayMs / 1000} s`);
    for (const job of jobs) {
      this.metrics?.frames.inc({ model: this.model.id, outcome: 'error' });
      job.reject(new InferenceError(`inference worker thread exited (code ${code}) while analysing frame ${job.frame.sequence} of camera ${job.frame.cameraId}`));
    }
    const timer = setTimeout(() => {
      this.respawns.delete(timer);
      if (this.closed) return;
      this.spawn().catch((error: unknown) => {
        this.logger.error({ err: error }, 'inference worker thread could not be restarted');
        if (!this.closed) this.lost({ worker: slot.worker, batches: [], dynamicBatch: false }, code, Math.min(delayMs * 2, MAX_RESPAWN_DELAY_MS));
      });
    }, delayMs);
    this.respawns.add(timer);
  }

  private logged = new Set<string>();

  private logFallbacks(fallbacks: readonly ProviderFallback[], to: ProviderName | undefined): void {
    for (const f of fallbacks) {
      const key = `${f.provider}>${to ?? ''}`;
      if (this.logged.has(key)) continue;
      this.logged.add(key);
      this.logger.warn(
        { provider: f.provider, fallback: to, reason: f.reason, hint: PROVIDER_HINT[f.provider] },
        to ? `execution provider ${f.provider} unavailable, falling back to ${to}: ${f.reason}` : `execution provider ${f.provider} unavailable: ${f.reason}`,
      );
    }
  }
}
