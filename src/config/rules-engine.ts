import { z } from 'zod';
import { EVENT_TYPES } from '../sdk/index.js';

export const rulesEngineSchema = z
  .strictObject({
    mode: z
      .enum(['standard', 'fr-vsa'])
      .default('standard')
      .describe('fr-vsa: only the eight event types of décret 2023-828 art. 3, every alert to be confirmed by an operator; standard: all rule types'),
    enabledEventTypes: z
      .array(z.enum(EVENT_TYPES))
      .default([...EVENT_TYPES])
      .describe('event types this deployment may raise (in fr-vsa mode: those listed in the prefectoral authorisation)'),
    evidence: z
      .strictObject({
        snapshot: z.boolean().default(true).describe('store a JPEG of the frame with boxes and zone drawn with each event'),
        retentionHours: z.number().positive().default(72).describe('evidence snapshots are deleted after this long'),
      })
      .prefault({})
      .describe('evidence kept with events'),
  })
  .describe('the rule engine: which event types may be raised and what is kept with them');

export type RulesEngineConfig = z.infer<typeof rulesEngineSchema>;
