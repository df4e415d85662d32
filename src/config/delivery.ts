import { z } from 'zod';

export const retrySchema = z
  .strictObject({
    initialSeconds: z.number().positive().default(1).describe('wait before the first retry of a failed delivery'),
    maxSeconds: z.number().positive().default(300).describe('longest wait between two attempts: the exponential backoff stops growing here'),
    multiplier: z.number().min(1).default(2).describe('each retry waits this many times longer than the previous one'),
    jitter: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe('random spread of each wait as a fraction (0.2 = up to 20% shorter), so a recovering VMS is not hit by every output at once'),
  })
  .describe('exponential backoff between attempts to deliver one event');

export const circuitBreakerSchema = z
  .strictObject({
    failureThreshold: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('consecutive failed deliveries after which the output is paused (circuit open) instead of trying every event'),
    openSeconds: z
      .number()
      .positive()
      .default(5)
      .describe('first pause of an open circuit; after it one delivery probes the VMS; each failed probe doubles the pause, up to retry.maxSeconds'),
  })
  .describe('per-output circuit breaker: a VMS that is down gets a probe now and then, not a flood');

export const deliverySchema = z
  .strictObject({
    retry: retrySchema.prefault({}).describe(retrySchema.description ?? ''),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe(
        'failed attempts after which an event goes to the dead-letter list (`vigie events dead-letter list`, replayable); with the default backoff, about an hour of outage',
      ),
    timeoutSeconds: z.number().positive().default(10).describe('a delivery the VMS has not accepted after this long is abandoned and retried'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('deliveries in progress at once per output; the events of one camera always go one at a time, in order'),
    circuitBreaker: circuitBreakerSchema.prefault({}).describe(circuitBreakerSchema.description ?? ''),
    holdSeconds: z
      .number()
      .positive()
      .default(30)
      .describe('when a VMS refuses our credentials or its configuration lacks what we send, how often to try again; events wait without using attempts'),
    pollSeconds: z
      .number()
      .positive()
      .default(1)
      .describe('how often the outbox is read for events queued by other processes (e.g. a dead-letter replay from the command line)'),
    retentionDays: z.number().positive().default(30).describe('delivered events and their delivery records are kept this long, then purged'),
    pluginDirs: z
      .array(z.string())
      .default([])
      .describe('extra directories of third-party output plugins (one folder per plugin, named after its output type), besides the built-in ones'),
    instance: z.string().default('').describe('name of this Vigie in event sources (CloudEvents source, MQTT client id, Nx source); empty = the host name'),
  })
  .describe('how events reach the outputs: durable outbox, retries, dead letters, circuit breaker');

export type DeliveryConfig = z.infer<typeof deliverySchema>;
