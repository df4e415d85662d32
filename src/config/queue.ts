import { z } from 'zod';

export const queueSchema = z
  .strictObject({
    redisUrl: z
      .string()
      .regex(/^(rediss?:\/\/.*)?$/, { error: 'a Redis URL starts with redis:// or rediss://' })
      .default('')
      .describe('Redis for distributed mode (ingest and inference workers on several machines); empty = everything in one process (env REDIS_URL)'),
    prefix: z.string().min(1).default('vigie').describe('prefix of every Redis key and BullMQ queue'),
    maxFramesInFlight: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(2)
      .describe(
        'frames per camera waiting for or under inference; when full, the newest frame waits in the owner and older ones waiting there are dropped (embedded: it replaces the oldest frame waiting in the queue); latest frame wins',
      ),
    frameTtlSeconds: z.number().positive().default(10).describe('frames left in Redis expire after this long'),
    stalledSeconds: z
      .number()
      .positive()
      .default(5)
      .describe('a frame held by a worker that stopped (killed, machine lost) goes back to the queue after about this long (distributed mode)'),
  })
  .describe('the frame queue between ingest and inference');
