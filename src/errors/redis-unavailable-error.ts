import { VigieError } from './vigie-error.js';

/** Redis (REDIS_URL) cannot be reached when a distributed component starts. */
export class RedisUnavailableError extends VigieError {
  readonly code = 'REDIS_UNAVAILABLE';

  /** `where` is the Redis URL without credentials. */
  constructor(readonly where: string, readonly component: string, cause?: unknown) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    super(`${component} cannot reach Redis at ${where}${reason}`, {
      cause,
      hint: 'start Redis (e.g. `redis-server`) or fix REDIS_URL / queue.redisUrl; unset it to run everything in one process',
    });
  }
}
