import { z } from 'zod';

export const logSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('minimum log level (env LOG_LEVEL)'),
    pretty: z.boolean().default(false).describe('human-readable log lines instead of JSON'),
  })
  .describe('logging');
