import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../logging/index.js';
import type { FrameJob } from './frame-job.js';
import type { FrameConsumer, FrameHandler, FrameQueue } from './frame-queue.js';
import { QUEUES } from './queues.js';
import { closeWithin, redisOptions } from './redis-connection.js';

/** How long a close waits for Redis before dropping the connection. */
const CLOSE_MS = 3000;

const SPEC = QUEUES.frames;

/** The distributed frame queue, producer side: one BullMQ queue shared by every owner and every worker. */
export class BullmqFrameQueue implements FrameQueue {
  private readonly queue: Queue<FrameJob>;

  constructor(
    redisUrl: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    const connection: ConnectionOptions = { url: redisUrl, ...redisOptions('command'), lazyConnect: false };
    this.queue = new Queue<FrameJob>(SPEC.name, { connection, prefix, defaultJobOptions: SPEC.jobOptions });
    let reported = false;
    this.queue.on('error', (error) => {
      if (!reported) logger.debug({ err: error }, 'frame queue: Redis error');
      reported = true;
    });
  }

  async add(job: FrameJob): Promise<void> {
    await this.queue.add(SPEC.jobName, job, { jobId: job.ref });
  }

  async removeWaiting(ref: string): Promise<boolean> {
    // BullMQ removes a job unless a worker holds its lock: exactly "still waiting" (or held by a dead worker).
    return (await this.queue.remove(ref)) === 1;
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'prioritized');
    return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0);
  }

  async close(): Promise<void> {
    await closeWithin(CLOSE_MS, () => this.queue.close(), () => {
      this.logger.debug('frame queue: closed without Redis');
      return this.queue.disconnect();
    });
  }
}

export interface BullmqConsumerOptions {
  redisUrl: string;
  prefix: string;
  /** A job whose worker stopped renewing its lock for this long is handed to another worker. */
  stalledMs: number;
  logger: Logger;
}

/**
 * The distributed frame queue, worker side. Inference runs off the event loop (worker threads), so lock renewal
 * keeps working while frames are analysed; a killed worker's jobs stall and BullMQ moves them back to waiting
 * after `stalledMs` (they are tried once more, then failed: a frame is worth nothing seconds later).
 */
export class BullmqFrameConsumer implements FrameConsumer {
  private worker: Worker<FrameJob> | undefined;

  constructor(private readonly options: BullmqConsumerOptions) {}

  start(handler: FrameHandler, concurrency: number): void {
    const { redisUrl, prefix, stalledMs, logger } = this.options;
    this.worker = new Worker<FrameJob>(SPEC.name, (job) => handler(job.data), {
      connection: { url: redisUrl, ...redisOptions('blocking'), lazyConnect: false },
      prefix,
      concurrency,
      lockDuration: stalledMs,
      stalledInterval: stalledMs,
      maxStalledCount: 1,
      drainDelay: 1,
      removeOnComplete: SPEC.jobOptions.removeOnComplete,
      removeOnFail: SPEC.jobOptions.removeOnFail,
    });
    let reported = false;
    this.worker.on('error', (error) => {
      if (!reported) logger.debug({ err: error }, 'frame worker: Redis error');
      reported = true;
    });
    this.worker.on('ready', () => (reported = false));
    this.worker.on('stalled', (jobId) => logger.warn({ job: jobId }, 'a frame job stalled (its worker stopped): handed to another worker'));
    this.worker.on('failed', (job, error) => {
      if (job) logger.warn({ err: error, camera: job.data.cameraId, sequence: job.data.sequence }, 'a frame job failed');
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await closeWithin(CLOSE_MS, () => worker.close(), () => {
      this.options.logger.debug('frame worker: closed without Redis');
      void worker.close(true).catch(() => undefined); // stops the loops; its goodbye to Redis cannot arrive
      return worker.disconnect();
    });
  }
}
