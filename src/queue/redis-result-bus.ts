import type { Redis } from 'ioredis';
import type { Logger } from '../logging/index.js';
import type { FrameResult } from './frame-job.js';
import type { ResultBus } from './result-bus.js';

/** Results kept per owner stream at most (approximately): a few seconds of every camera of one owner. */
const STREAM_MAX_LENGTH = 2000;
/** An owner that stopped reading (gone) leaves a stream that expires after this long. */
const STREAM_TTL_MS = 60_000;

/**
 * Results as a Redis stream per owner process (`<prefix>:results:<owner>`): a worker appends (XADD, capped length,
 * a TTL renewed on each write), the owner blocks on XREAD for its own stream only. Chosen over BullMQ's
 * QueueEvents, which sends every completion to every listening process and keeps return values in job hashes:
 * here each owner reads exactly its results, one round trip per result, and Redis memory stays bounded by the cap
 * and the TTL (ARCHITECTURE.md, "results back to the owner").
 */
export class RedisResultBus implements ResultBus {
  private readonly readers = new Set<{ stop(): void; done: Promise<void> }>();

  constructor(
    /** Commands (publish). */
    private readonly redis: Redis,
    /** A connection per subscription is duplicated from this one (XREAD BLOCK holds it). */
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(owner: string): string {
    return `${this.prefix}:results:${owner}`;
  }

  async publish(owner: string, result: FrameResult): Promise<void> {
    const key = this.key(owner);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', STREAM_MAX_LENGTH, '*', 'r', JSON.stringify(result)).pexpire(key, STREAM_TTL_MS).exec();
  }

  subscribe(owner: string, listener: (result: FrameResult) => void): Promise<() => Promise<void>> {
    const key = this.key(owner);
    const reader = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    reader.on('error', (error: Error) => this.logger.debug({ err: error }, 'result stream reader: Redis error'));
    let stopped = false;
    let lastId = '$';
    const loop = async () => {
      while (!stopped) {
        try {
          const answer = await reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', key, lastId);
          for (const [, entries] of answer ?? []) {
            for (const [id, fields] of entries) {
              lastId = id;
              const text = fields[1];
              if (text === undefined) continue;
              try {
                listener(JSON.parse(text) as FrameResult);
              } catch (error) {
                this.logger.error({ err: error }, 'a result listener threw');
              }
            }
          }
        } catch (error) {
          if (stopped) break;
          // Redis away or restarted empty: wait and read again after the last id seen (stream ids are times, so a
          // new stream's entries still come after it); results lost meanwhile expire at the owner.
          this.logger.debug({ err: error }, 'result stream read failed; retrying');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const done = loop();
    const handle = {
      stop: () => {
        stopped = true;
        reader.disconnect();
      },
      done,
    };
    this.readers.add(handle);
    return Promise.resolve(async () => {
      handle.stop();
      await done;
      this.readers.delete(handle);
    });
  }

  async close(): Promise<void> {
    for (const r of this.readers) r.stop();
    await Promise.allSettled([...this.readers].map((r) => r.done));
    this.readers.clear();
  }
}
