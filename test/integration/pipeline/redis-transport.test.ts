import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { startInferenceWorker, startPipeline, type Pipeline } from '../../../src/pipeline/index.js';
import { QUEUES, redisTransport } from '../../../src/queue/index.js';
import type { Logger } from '../../../src/logging/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { GateDetector, INPUT, ManualIngests, until } from '../../support/pipeline-standins.js';
import { PrivateRedis } from '../../support/private-redis.js';
import { cleanRedisPrefix, REDIS_URL } from '../../support/redis.js';

function queueConfig(redisUrl: string, prefix: string) {
  return { redisUrl, prefix, maxFramesInFlight: 2, frameTtlSeconds: 3, stalledSeconds: 1 };
}

/** What a test stops when it ends, last started first (node runs `t.after` hooks in registration order). */
function teardown(t: TestContext): (close: () => unknown) => void {
  const closers: (() => unknown)[] = [];
  t.after(async () => {
    for (const close of closers.reverse()) await close();
  });
  return (close) => closers.push(close);
}

async function startWorker(onEnd: (close: () => unknown) => void, config: ReturnType<typeof queueConfig>, logger: Logger, name: string, delayMs = 10) {
  const transport = await redisTransport(config, logger, name);
  const worker = startInferenceWorker({ transport, detector: new GateDetector(1, true, delayMs), logger, name });
  onEnd(async () => {
    await worker.stop();
    await transport.close();
  });
  return worker;
}

/** Pushes a frame on every camera every `ms` until stopped. */
function feed(ingests: ManualIngests, ms: number): () => void {
  const timer = setInterval(() => {
    for (const camera of ingests.byCamera.values()) if (!camera.stopped) camera.push();
  }, ms);
  return () => clearInterval(timer);
}

/** A pipeline over the shared Redis under a fresh prefix, with hand-pushed cameras; all stopped when the test ends. */
async function redisPipeline(t: TestContext) {
  const prefix = `vigie-test-${randomBytes(4).toString('hex')}`;
  cleanRedisPrefix(t, prefix);
  const onEnd = teardown(t);
  const config = queueConfig(REDIS_URL, prefix);
  const logs = captureLogs('info');
  const ingests = new ManualIngests();
  const pipeline: Pipeline = await startPipeline({ config: { queue: config }, logger: logs.logger, input: INPUT, createIngest: ingests.factory });
  onEnd(() => pipeline.stop());
  return { prefix, onEnd, config, logs, ingests, pipeline };
}

describe('distributed pipeline over Redis (BullMQ)', () => {
  it('queues references, not pixels; two workers share the work; results reach the owning process; nothing is left in Redis', async (t) => {
    const { prefix, onEnd, config, logs, ingests, pipeline } = await redisPipeline(t);
    assert.equal(pipeline.mode, 'redis');
    const scores = new Map<string, number>();
    pipeline.onDetections((d, frame) => {
      scores.set(`${d.cameraId}:${d.sequence}`, d.detections[0]!.score);
      assert.equal(frame?.data[0], d.sequence % 256, 'the owner hands back the frame it kept');
    });
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    await pipeline.addCamera({ cameraId: 'b', name: 'B', url: 'rtsp://127.0.0.1/b' });

    // No worker yet: the first frame waits in Redis, where we look at it.
    ingests.byCamera.get('a')!.push();
    const redis = new Redis(REDIS_URL);
    onEnd(() => redis.disconnect());
    await until(() => pipeline.stats().cameras[0]!.queued === 1, 'the first frame queued');
    const frameKeys = await redis.keys(`${prefix}:frame:*`);
    assert.equal(frameKeys.length, 1);
    assert.equal((await redis.strlen(frameKeys[0]!)), INPUT.width * INPUT.height * 3, 'the pixels are one binary key');
    const ttl = await redis.pttl(frameKeys[0]!);
    assert.ok(ttl > 0 && ttl <= 3000, `the frame key expires (PTTL ${ttl})`);
    const ref = frameKeys[0]!.slice(`${prefix}:frame:`.length);
    const jobData = await redis.hget(`${prefix}:${QUEUES.frames.name}:${ref}`, 'data');
    assert.ok(jobData && jobData.length < 600, `the job carries a reference and metadata only (${jobData?.length} bytes)`);
    assert.deepEqual(Object.keys(JSON.parse(jobData) as object).sort(), ['cameraId', 'captureTime', 'geometry', 'owner', 'queuedAt', 'ref', 'sequence']);

    const w1 = await startWorker(onEnd, config, logs.logger, 'worker-1');
    const w2 = await startWorker(onEnd, config, logs.logger, 'worker-2');
    const stop = feed(ingests, 20);
    await until(() => w1.stats().detected >= 10 && w2.stats().detected >= 10, 'both workers at work', 20_000);
    stop();
    await until(() => pipeline.stats().cameras.every((c) => c.inFlight === 0), 'every frame settled');

    const stats = pipeline.stats();
    for (const camera of stats.cameras) {
      assert.ok(camera.inferred > 5, `camera ${camera.cameraId} analysed`);
      assert.ok(Object.keys(camera.workers).length >= 1);
    }
    const byWorker = stats.cameras.reduce<Record<string, number>>((acc, c) => {
      for (const [w, n] of Object.entries(c.workers)) acc[w] = (acc[w] ?? 0) + n;
      return acc;
    }, {});
    assert.ok((byWorker['worker-1'] ?? 0) > 0 && (byWorker['worker-2'] ?? 0) > 0, `results from both workers: ${JSON.stringify(byWorker)}`);
    for (const [key, score] of scores) assert.equal(score, (Number(key.split(':')[1]) % 256) / 255, `the pixels of ${key} reached a worker`);

    assert.deepEqual(await redis.keys(`${prefix}:frame:*`), [], 'no frame left in Redis');
    const jobs = (await redis.keys(`${prefix}:${QUEUES.frames.name}:*`)).filter((k) => /:[0-9a-f]{12}-\d+$/.test(k));
    assert.deepEqual(jobs, [], 'completed jobs are removed');
  });

  it('at its in-flight bound a camera keeps its newest frame in the owner: Redis holds the first frames untouched, the latest is analysed next', async (t) => {
    const { prefix, onEnd, config, logs, ingests, pipeline } = await redisPipeline(t);
    const analysed: number[] = [];
    pipeline.onDetections((d) => analysed.push(d.sequence));
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    const cam = ingests.byCamera.get('a')!;
    const redis = new Redis(REDIS_URL);
    onEnd(() => redis.disconnect());

    // No worker yet: frames 1 and 2 fill the bound (maxFramesInFlight 2), 3..6 come while it is full.
    cam.push();
    await until(() => pipeline.stats().cameras[0]!.queued === 1, 'frame 1 queued');
    cam.push();
    await until(() => pipeline.stats().cameras[0]!.queued === 2, 'frame 2 queued');
    for (let i = 0; i < 4; i++) cam.push();
    await until(() => pipeline.stats().cameras[0]!.dropped.backpressure === 3, 'frames 3..5 dropped in the owner');
    const waiting = await Promise.all(
      (await redis.keys(`${prefix}:frame:*`)).map(async (key) => {
        const data = await redis.hget(`${prefix}:${QUEUES.frames.name}:${key.slice(`${prefix}:frame:`.length)}`, 'data');
        return (JSON.parse(data ?? '{}') as { sequence?: number }).sequence;
      }),
    );
    assert.deepEqual(waiting.sort(), [1, 2], 'Redis holds the two first frames: nothing was rewritten or replaced there');
    assert.equal(pipeline.stats().cameras[0]!.queued, 2);

    await startWorker(onEnd, config, logs.logger, 'worker-1');
    await until(() => analysed.length === 3, 'three frames analysed');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(analysed, [1, 2, 6], 'the waiting frames, then the latest one; 3..5 never reached Redis');
    const stats = pipeline.stats().cameras[0]!;
    assert.equal(stats.queued, 3);
    assert.equal(stats.dropped.backpressure, 3);
  });

  it('Redis killed and restarted mid-run: drops are counted meanwhile, everything reconnects, the pipeline resumes and says so', async (t) => {
    const onEnd = teardown(t);
    const redisServer = await PrivateRedis.start(onEnd);
    const config = queueConfig(redisServer.url, 'vigie');
    const logs = captureLogs('info');
    const ingests = new ManualIngests();
    const pipeline = await startPipeline({ config: { queue: config }, logger: logs.logger, input: INPUT, createIngest: ingests.factory });
    onEnd(() => pipeline.stop());
    await startWorker(onEnd, config, logs.logger, 'worker-1');
    let results = 0;
    pipeline.onDetections(() => results++);
    await pipeline.addCamera({ cameraId: 'a', name: 'A', url: 'rtsp://127.0.0.1/a' });
    const stop = feed(ingests, 50);
    onEnd(stop);
    await until(() => results >= 10, 'frames analysed before the failure', 20_000);

    await redisServer.kill();
    const before = results;
    await until(() => pipeline.stats().cameras[0]!.dropped['queue-unavailable'] >= 5, 'frames dropped while Redis is down', 20_000);
    await redisServer.restart();
    await until(() => results >= before + 10, 'frames analysed again after the restart', 30_000);

    const text = logs.text();
    assert.match(text, /Redis connection (lost|closed)/, 'the loss is logged');
    assert.match(text, /Redis is reachable again, the pipeline resumes/, 'the recovery is logged');
    assert.match(text, /frames flow to the queue again/);
  });
});
