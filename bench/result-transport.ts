/**
 * How results get back to the process that owns a camera, in distributed mode: the two candidates measured in the
 * same run on the same Redis, with the same BullMQ queue and worker and the same result (a typical frame's
 * detections as JSON, ~1.5 KB):
 *
 * - `stream`: the worker appends the result to the owner's own Redis stream (XADD, capped, TTL), the owner blocks
 *   on XREAD (what Vigie does, `RedisResultBus`);
 * - `queue_events`: the worker returns the result as the job's return value and the owner listens to BullMQ's
 *   QueueEvents `completed` (every owner receives every completion and must filter).
 *
 * Latency: job added by the owner → result in the owner, at a steady `--rate` jobs/s, `--jobs` jobs each.
 *
 *   node --import tsx bench/result-transport.ts [--json] [--jobs 1000] [--rate 200]
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logging/index.js';
import { RedisResultBus, type FrameResult } from '../src/queue/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const JSON_OUT = args.includes('--json');
const JOBS = Number(option('jobs', '1000'));
const RATE = Number(option('rate', '200'));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const say = (line: string) => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN) * 100) / 100;
};
const detections = Array.from({ length: 8 }, (_, i) => ({ label: 'person', classId: 0, score: 0.8, box: { x1: 0.1 * i, y1: 0.2, x2: 0.1 * i + 0.05, y2: 0.4 } }));
const connection = { url: REDIS_URL, maxRetriesPerRequest: null };

async function measure(kind: 'stream' | 'queue_events'): Promise<{ p50: number; p95: number }> {
  const prefix = `vigie-bench-rt-${randomBytes(4).toString('hex')}`;
  const owner = 'owner1';
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((r) => (done = r));
  const arrive = (ref: string) => {
    const t = sent.get(ref);
    if (t === undefined) return;
    latencies.push(performance.now() - t);
    if (latencies.length === JOBS) done();
  };
  const redis = new Redis(REDIS_URL);
  const bus = new RedisResultBus(redis, prefix, createLogger({ level: 'warn' }));
  const queue = new Queue('frames', { connection, prefix, defaultJobOptions: { removeOnComplete: { count: 0 }, removeOnFail: { count: 100 } } });
  let events: QueueEvents | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  const worker = new Worker(
    'frames',
    async (job) => {
      const result: FrameResult = { ref: job.id!, cameraId: 'c', sequence: 1, worker: 'w', outcome: 'detected', inferenceMs: 1, detections: { cameraId: 'c', sequence: 1, captureTime: Date.now(), width: 768, height: 576, model: { id: 'm', sha256: 'x' }, detections } };
      if (kind === 'stream') {
        await bus.publish(owner, result);
        return undefined;
      }
      return result;
    },
    { connection, prefix, concurrency: 4 },
  );
  if (kind === 'stream') unsubscribe = await bus.subscribe(owner, (r) => arrive(r.ref));
  else {
    events = new QueueEvents('frames', { connection, prefix });
    await events.waitUntilReady();
    events.on('completed', ({ jobId }) => arrive(jobId));
  }
  await worker.waitUntilReady();
  for (let i = 0; i < JOBS; i++) {
    const ref = `j-${i}`;
    sent.set(ref, performance.now());
    await queue.add('detect', { ref }, { jobId: ref });
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  await all;
  await worker.close();
  await events?.close();
  await unsubscribe?.();
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  return { p50: pct(latencies, 0.5), p95: pct(latencies, 0.95) };
}

const stream = await measure('stream');
say(`stream:       p50 ${stream.p50} ms, p95 ${stream.p95} ms`);
const queueEvents = await measure('queue_events');
say(`queue_events: p50 ${queueEvents.p50} ms, p95 ${queueEvents.p95} ms`);
process.stdout.write(
  `${JSON.stringify({ jobs: JOBS, rate: RATE, stream_p50_ms: stream.p50, stream_p95_ms: stream.p95, queue_events_p50_ms: queueEvents.p50, queue_events_p95_ms: queueEvents.p95, ratio_stream_vs_queue_events_p50: Math.round((stream.p50 / queueEvents.p50) * 1000) / 1000 })}\n`,
);
process.exit(0);
