import { Redis } from 'ioredis';
import { RedisUnavailableError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';

/** A Redis URL without its credentials, for logs and messages. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'the configured Redis URL';
  }
}

/** Reconnect quickly (a restarted Redis is back within seconds), at most every 2 s. */
const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2000);

/**
 * Connection options by role. `command`: fails fast while Redis is away (a frame is dropped and counted rather
 * than buffered without bound); `blocking`: for BullMQ workers and blocking reads, retries forever.
 */
export function redisOptions(role: 'command' | 'blocking'): {
  enableOfflineQueue?: boolean;
  maxRetriesPerRequest: number | null;
  retryStrategy: (attempt: number) => number;
  lazyConnect: boolean;
} {
  return role === 'command'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: true }
    : { maxRetriesPerRequest: null, retryStrategy, lazyConnect: true };
}

/**
 * Logs when the connection is lost (once, not on every retry) and when it is back, in words an operator can act on.
 * Returns the current state for stats.
 */
export function watchRedis(redis: Redis, logger: Logger, what: string, where: string): { up(): boolean; close(): void } {
  let up = redis.status === 'ready';
  let lostAt = 0;
  let closing = false;
  redis.on('ready', () => {
    if (!up && lostAt > 0) logger.info({ redis: where, downSeconds: Math.round((Date.now() - lostAt) / 100) / 10 }, `${what}: Redis is reachable again, the pipeline resumes`);
    up = true;
  });
  redis.on('error', (error: Error) => {
    if (up || lostAt === 0) logger.warn({ redis: where, err: error }, `${what}: Redis connection lost (${error.message}); reconnecting, frames are dropped and counted meanwhile`);
    if (up || lostAt === 0) lostAt = Date.now();
    up = false;
  });
  redis.on('close', () => {
    if (up && !closing) {
      lostAt = Date.now();
      logger.warn({ redis: where }, `${what}: Redis connection closed; reconnecting, frames are dropped and counted meanwhile`);
    }
    up = false;
  });
  return {
    up: () => up,
    /** Closing on purpose: no "connection closed" warning. */
    close: () => {
      closing = true;
      redis.disconnect();
    },
  };
}

/** Opens a connection and waits until it is ready; a clear error when Redis cannot be reached. */
export async function connectRedis(url: string, role: 'command' | 'blocking', component: string): Promise<Redis> {
  const redis = new Redis(url, redisOptions(role));
  // Errors before the first connection are reported by connect() below; later ones by watchRedis.
  const swallow = () => undefined;
  redis.on('error', swallow);
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000))),
    ]).finally(() => clearTimeout(timer));
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(redisWhere(url), component, error);
  } finally {
    redis.off('error', swallow);
  }
  return redis;
}

/**
 * Runs a graceful close (BullMQ waits for Redis to say goodbye), bounded: after `ms` (Redis away) the connection
 * is dropped instead, so stopping Vigie never hangs on a dead Redis.
 */
export async function closeWithin(ms: number, close: () => Promise<unknown>, force: () => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closing = close().then(
    () => true,
    () => false,
  );
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const clean = await Promise.race([closing, timedOut]);
  clearTimeout(timer);
  if (!clean) await force();
}
