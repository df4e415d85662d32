import type { FrameJob } from './frame-job.js';

/** The producer side of the frame queue (the process that owns cameras). */
export interface FrameQueue {
  add(job: FrameJob): Promise<void>;
  /** Removes a job that no worker has taken yet; false when a worker has it or it is gone. */
  removeWaiting(ref: string): Promise<boolean>;
  /** Jobs waiting or under inference, every owner together. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** Runs one job; resolves when its result was handed back to the owner. */
export type FrameHandler = (job: FrameJob) => Promise<void>;

/** The worker side: takes jobs and runs them, up to `concurrency` at once. */
export interface FrameConsumer {
  start(handler: FrameHandler, concurrency: number): void;
  close(): Promise<void>;
}
