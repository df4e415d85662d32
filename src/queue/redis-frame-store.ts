import type { Redis } from 'ioredis';
import type { FrameStore } from './frame-store.js';

/**
 * Frames as binary Redis string keys (`<prefix>:frame:<ref>`) with a TTL, so a frame nobody takes (owner gone,
 * worker killed, Redis memory pressure) disappears on its own: Redis memory is bounded by the frames in flight.
 */
export class RedisFrameStore implements FrameStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(ref: string): string {
    return `${this.prefix}:frame:${ref}`;
  }

  async put(ref: string, data: Buffer): Promise<void> {
    await this.redis.set(this.key(ref), data, 'PX', this.ttlMs);
  }

  async take(ref: string): Promise<Buffer | undefined> {
    const data = await this.redis.getdelBuffer(this.key(ref));
    return data ?? undefined;
  }

  async delete(ref: string): Promise<void> {
    await this.redis.del(this.key(ref));
  }

  held(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return Promise.resolve(); // the connection belongs to the transport
  }
}
