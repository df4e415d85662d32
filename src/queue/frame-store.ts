/**
 * Where frame pixels wait between the owner (ingest) and a worker (inference): process memory when embedded,
 * Redis keys with a short TTL when distributed. The queue only carries the reference.
 */
export interface FrameStore {
  readonly kind: 'memory' | 'redis';
  /** Keeps `data` under `ref` (memory: the buffer itself, the caller no longer writes to it). */
  put(ref: string, data: Buffer): Promise<void>;
  /** The pixels, removed from the store; undefined when they expired or were dropped. */
  take(ref: string): Promise<Buffer | undefined>;
  delete(ref: string): Promise<void>;
  /** Frames held now (memory only; Redis keys expire on their own). */
  held(): number | undefined;
  close(): Promise<void>;
}

/** The embedded frame store: a map in this process. The owner bounds what is in flight, so it stays small. */
export class MemoryFrameStore implements FrameStore {
  readonly kind = 'memory' as const;
  private readonly frames = new Map<string, Buffer>();

  put(ref: string, data: Buffer): Promise<void> {
    this.frames.set(ref, data);
    return Promise.resolve();
  }

  take(ref: string): Promise<Buffer | undefined> {
    const data = this.frames.get(ref);
    this.frames.delete(ref);
    return Promise.resolve(data);
  }

  delete(ref: string): Promise<void> {
    this.frames.delete(ref);
    return Promise.resolve();
  }

  held(): number {
    return this.frames.size;
  }

  close(): Promise<void> {
    this.frames.clear();
    return Promise.resolve();
  }
}
