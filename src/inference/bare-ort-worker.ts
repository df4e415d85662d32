/**
 * Entry of a bare onnxruntime benchmark thread: one session, one pre-processed tensor fed again and again, no
 * decoding. The yardstick the detector's throughput is compared with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { env, InferenceSession, Tensor } from 'onnxruntime-node';

export interface BareOrtWorkerData {
  model: Uint8Array;
  threads: number;
  provider: 'cuda' | 'tensorrt' | 'cpu';
  inputName: string;
  dims: number[];
  tensors: Float32Array[];
}

export type BareOrtReply = { type: 'ready' } | { type: 'done'; runs: number; ms: number; latencies: number[] } | { type: 'failed'; reason: string };

env.logLevel = 'fatal';
const port = parentPort ?? notAWorker();

function notAWorker(): never {
  throw new Error('bare-ort-worker.ts runs as a worker thread');
}
const data = workerData as BareOrtWorkerData;
const post = (reply: BareOrtReply) => port.postMessage(reply);

async function main(): Promise<void> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(data.model, {
      executionProviders: [data.provider],
      intraOpNumThreads: data.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    post({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  const inputs = data.tensors.map((t) => new Tensor('float32', t, data.dims));
  for (let i = 0; i < 3; i++) await session.run({ [data.inputName]: inputs[i % inputs.length]! });
  port.once('message', (go: { until: number; maxRuns: number }) => {
    void (async () => {
      const latencies: number[] = [];
      const started = performance.now();
      while (Date.now() < go.until && latencies.length < go.maxRuns) {
        const t = performance.now();
        await session.run({ [data.inputName]: inputs[latencies.length % inputs.length]! });
        latencies.push(performance.now() - t);
      }
      post({ type: 'done', runs: latencies.length, ms: performance.now() - started, latencies });
    })();
  });
  post({ type: 'ready' });
}

void main();
