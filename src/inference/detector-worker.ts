/**
 * Entry of a detector worker thread: one onnxruntime session, frames in (transferred bytes), detections out.
 * Pre-processing (packed 8-bit pixels → the model's tensor), the run, decoding and NMS all happen here, so the
 * main thread only copies bytes and posts messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { env, Tensor } from 'onnxruntime-node';
import { callerThreadId } from '../metrics/index.js';
import { createPostprocessor } from './postprocess.js';
import { createPreprocessor } from './preprocess.js';
import type { DetectorWorkerData, RunRequest, WorkerReply } from './protocol.js';
import { checkSession, openSession, SessionOpenError } from './session.js';

// Failures reach the main thread as exceptions (and from there the logger); onnxruntime's own stderr lines would
// only duplicate them.
env.logLevel = 'fatal';

const port = parentPort ?? notAWorker();

function notAWorker(): never {
  throw new Error('detector-worker.ts runs as a worker thread');
}
const data = workerData as DetectorWorkerData;
const { spec } = data;
const post = (reply: WorkerReply) => port.postMessage(reply);

async function main(): Promise<void> {
  let opened;
  let dynamicBatch;
  try {
    opened = await openSession(data.model, data.providers, data.threads);
    ({ dynamicBatch } = checkSession(opened.session, spec));
  } catch (error) {
    if (error instanceof SessionOpenError) post({ type: 'failed', kind: error.kind, reason: error.message, fallbacks: opened?.fallbacks ?? error.fallbacks });
    else post({ type: 'failed', kind: 'model', reason: error instanceof Error ? error.message : String(error), fallbacks: [] });
    return;
  }
  const { session } = opened;
  const preprocess = createPreprocessor(spec.input);
  const postprocess = createPostprocessor(spec);
  const { width, height } = spec.input;
  const tensors = new Map<number, Float32Array | Uint8Array>();
  const buffer = (n: number) => {
    let b = tensors.get(n);
    if (!b) tensors.set(n, (b = spec.input.dtype === 'uint8' ? new Uint8Array(n * preprocess.size) : new Float32Array(n * preprocess.size)));
    return b;
  };

  // The main thread posts the next request while this one runs (REQUESTS_PER_WORKER): requests run one after the
  // other, in order, since they share the input tensor.
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (request: RunRequest) => {
    previous = previous.then(() => run(request).catch((error: unknown) => post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) })));
  });

  async function run(request: RunRequest): Promise<void> {
    const started = performance.now();
    const n = request.frames.length;
    const input = buffer(n);
    request.frames.forEach((f, i) => preprocess.convert(new Uint8Array(f.data, f.byteOffset, f.byteLength), f.geometry.pixelFormat, input, i * preprocess.size));
    const dims = spec.input.layout === 'NCHW' ? [n, 3, height, width] : [n, height, width, 3];
    const tensor = input instanceof Uint8Array ? new Tensor('uint8', input, dims) : new Tensor('float32', input, dims);
    const runStarted = performance.now();
    const outputs = await session.run({ [spec.input.name]: tensor }, [spec.output.name]);
    const runMs = performance.now() - runStarted;
    const output = outputs[spec.output.name]!;
    const values = output.data as Float32Array;
    const detections = request.frames.map((f, i) => postprocess(values, output.dims, i, f.geometry));
    output.dispose();
    post({ type: 'result', id: request.id, detections, runMs, workMs: performance.now() - started });
  }

  const threadId = callerThreadId();
  post({ type: 'ready', provider: opened.provider, fallbacks: opened.fallbacks, dynamicBatch, ...(threadId ? { threadId } : {}) });
}

void main();
