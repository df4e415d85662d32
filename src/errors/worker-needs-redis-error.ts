import { VigieError } from './vigie-error.js';

/** `vigie worker` was started without a Redis to take frames from. */
export class WorkerNeedsRedisError extends VigieError {
  readonly code = 'WORKER_NEEDS_REDIS';

  constructor() {
    super('vigie worker needs Redis: REDIS_URL (or queue.redisUrl) is not set, so there is no frame queue to take work from', {
      hint: 'set REDIS_URL to the Redis that `vigie run` uses (e.g. REDIS_URL=redis://10.0.0.5:6379 vigie worker); without Redis, `vigie run` analyses its cameras itself and needs no worker',
    });
  }
}
