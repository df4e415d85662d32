import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { VigieConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { BullmqFrameConsumer, BullmqFrameQueue } from './bullmq-frame-queue.js';
import type { FrameConsumer, FrameQueue } from './frame-queue.js';
import { MemoryFrameStore, type FrameStore } from './frame-store.js';
import { InProcessFrameQueue } from './in-process-queue.js';
import { connectRedis, redisWhere, watchRedis } from './redis-connection.js';
import { RedisFrameStore } from './redis-frame-store.js';
import { MemoryResultBus, type ResultBus } from './result-bus.js';
import { RedisResultBus } from './redis-result-bus.js';

type QueueConfig = VigieConfig['queue'];

/**
 * The frame transport between owners (ingest) and workers (inference), embedded or over Redis: the frame store,
 * the queue (producer and consumer sides) and the result bus. The pipeline and `vigie worker` see only these
 * interfaces.
 */
export interface FrameTransport {
  readonly mode: 'embedded' | 'redis';
  /** Redis URL without credentials, or "in-process". */
  readonly where: string;
  readonly store: FrameStore;
  readonly queue: FrameQueue;
  /** Builds the worker side (embedded: the same in-process queue). */
  consumer(): FrameConsumer;
  readonly results: ResultBus;
  /** Whether the transport can take frames now (Redis connected). */
  up(): boolean;
  /**
   * At a camera's in-flight bound, whether a newer frame takes the place of its oldest frame still waiting in the
   * queue (true: a few pointer moves in process), or waits in the owner, replaced there by any newer one, until a
   * result frees a slot (false: Redis). A replacement in Redis costs the frame's bytes written again, a job added
   * and one removed, and buys no freshness: the new job joins the back of the shared FIFO queue, where the old one
   * would have been served sooner. At twice the workers' capacity those writes took the very cores inference
   * needed (measured on 2 vCPU, 13 cameras offering 130 frames/s to one worker: 41-49 frames/s analysed when
   * replacing, 57 when waiting in the owner).
   */
  readonly replacesWaiting: boolean;
  close(): Promise<void>;
}

/** A node id for this process: names its result stream and its frame references. */
export function newNodeId(): string {
  return randomBytes(6).toString('hex');
}

/** What names a worker in results and logs. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** The embedded transport: memory store, in-process queue, direct results. */
export function embeddedTransport(logger: Logger): FrameTransport {
  const queue = new InProcessFrameQueue(logger);
  const store = new MemoryFrameStore();
  const results = new MemoryResultBus();
  return {
    mode: 'embedded',
    where: 'in-process',
    store,
    queue,
    consumer: () => queue,
    results,
    up: () => true,
    replacesWaiting: true,
    async close() {
      await queue.close();
      await store.close();
      await results.close();
    },
  };
}

/** The distributed transport; fails with RedisUnavailableError when Redis cannot be reached at start. */
export async function redisTransport(config: QueueConfig, logger: Logger, component: string): Promise<FrameTransport> {
  const where = redisWhere(config.redisUrl);
  const redis: Redis = await connectRedis(config.redisUrl, 'command', component);
  const state = watchRedis(redis, logger, component, where);
  const store = new RedisFrameStore(redis, config.prefix, Math.round(config.frameTtlSeconds * 1000));
  const queue = new BullmqFrameQueue(config.redisUrl, config.prefix, logger);
  const results = new RedisResultBus(redis, config.prefix, logger);
  const consumers: FrameConsumer[] = [];
  return {
    mode: 'redis',
    where,
    store,
    queue,
    consumer: () => {
      const consumer = new BullmqFrameConsumer({ redisUrl: config.redisUrl, prefix: config.prefix, stalledMs: Math.round(config.stalledSeconds * 1000), logger });
      consumers.push(consumer);
      return consumer;
    },
    results,
    up: () => state.up(),
    replacesWaiting: false,
    async close() {
      await Promise.allSettled(consumers.map((c) => c.close()));
      await results.close();
      await queue.close();
      state.close();
    },
  };
}

/** Embedded without a Redis URL, distributed with one. */
export function openTransport(config: QueueConfig, logger: Logger, component: string): Promise<FrameTransport> {
  return config.redisUrl ? redisTransport(config, logger, component) : Promise.resolve(embeddedTransport(logger));
}
