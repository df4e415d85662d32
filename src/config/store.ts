import { z } from 'zod';

export const storeSchema = z
  .strictObject({
    driver: z.enum(['sqlite']).default('sqlite').describe('database for state that survives a restart (cameras, events, outbox, users, audit log)'),
    path: z.string().default('~/.local/share/vigie/vigie.db').describe('SQLite database file (env VIGIE_DB)'),
    auditRetentionDays: z
      .number()
      .int()
      .positive()
      .default(365)
      .describe('audit log records older than this are purged (the French framework keeps them 12 months)'),
  })
  .describe('where Vigie keeps state across restarts');
