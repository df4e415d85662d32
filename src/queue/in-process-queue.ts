import type { Logger } from '../logging/index.js';
import type { FrameJob } from './frame-job.js';
import type { FrameConsumer, FrameHandler, FrameQueue } from './frame-queue.js';

/**
 * The embedded frame queue: the same producer and consumer interfaces as the BullMQ one, in this process. Jobs
 * run in arrival order (oldest first), `concurrency` at a time; a waiting job can be removed (dropped) until a
 * handler takes it.
 */
export class InProcessFrameQueue implements FrameQueue, FrameConsumer {
  private readonly waiting: FrameJob[] = [];
  private active = 0;
  private handler: FrameHandler | undefined;
  private concurrency = 1;
  private closed = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  add(job: FrameJob): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.waiting.push(job);
    this.pump();
    return Promise.resolve();
  }

  removeWaiting(ref: string): Promise<boolean> {
    const i = this.waiting.findIndex((j) => j.ref === ref);
    if (i < 0) return Promise.resolve(false);
    this.waiting.splice(i, 1);
    return Promise.resolve(true);
  }

  depth(): Promise<number> {
    return Promise.resolve(this.waiting.length + this.active);
  }

  start(handler: FrameHandler, concurrency: number): void {
    this.handler = handler;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.active++;
      const run = handler(job)
        .catch((error: unknown) => this.logger.error({ err: error, camera: job.cameraId, sequence: job.sequence }, 'frame handler failed'))
        .finally(() => {
          this.active--;
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }
}
