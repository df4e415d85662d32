import type { DefaultJobOptions, KeepJobs } from 'bullmq';
import type { FrameJob } from './frame-job.js';

/** A BullMQ queue of Vigie: its name (under queue.prefix), the job name and the options every job gets. */
export interface QueueSpec<Data> {
  name: string;
  jobName: string;
  /** Always sets removeOnComplete and removeOnFail: BullMQ keeps finished jobs forever otherwise. */
  jobOptions: DefaultJobOptions & { removeOnComplete: KeepJobs; removeOnFail: KeepJobs };
  /** Type witness only. */
  readonly data?: Data;
}

/**
 * Every queue of the analytics pipeline, typed by its job data. (Event delivery keeps its own per-output queues in
 * src/publish.) A frame job is worth nothing a few seconds later, so it is never retried: a failed or stalled frame
 * is reported to its owner and forgotten.
 */
export const QUEUES = {
  frames: {
    name: 'frames',
    jobName: 'detect',
    jobOptions: { removeOnComplete: { count: 0 }, removeOnFail: { count: 100, age: 600 }, attempts: 1 },
  } satisfies QueueSpec<FrameJob>,
} as const;

export type QueueName = keyof typeof QUEUES;
