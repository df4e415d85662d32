import { z } from 'zod';
import { EVENT_TYPES } from '../sdk/index.js';

export const OUTPUT_TYPES = ['milestone', 'milestone-generic', 'genetec', 'nx', 'webhook', 'mqtt'] as const;

/** Third-party plugins serve output types named `x-<name>` (see plugins/_template). */
export const THIRD_PARTY_OUTPUT_TYPE = /^x-[a-z0-9][a-z0-9-]*$/;

/**
 * Fields every output has. Each output type adds its own fields, validated by its plugin's schema when the plugin
 * host loads it, so this schema lets them through.
 */
export const outputSchema = z
  .looseObject({
    type: z
      .string({ error: 'missing: this field is required (expected string)' })
      .refine((t) => (OUTPUT_TYPES as readonly string[]).includes(t) || THIRD_PARTY_OUTPUT_TYPE.test(t), {
        error: `unknown output type: use one of ${OUTPUT_TYPES.join(', ')} (or x-<name> for a third-party plugin)`,
      })
      .describe('which VMS or transport (required)'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'an output name uses letters, digits, dot, dash and underscore, e.g. control-room' })
      .or(z.literal(''))
      .default('')
      .describe('name used in logs, health and the dead-letter list; empty = type and position, e.g. webhook-1 (set one: events waiting for an output follow its name)'),
    url: z.string().min(1, { error: 'an output needs a url (for mqtt: mqtt://host:port)' }).describe('where events go (required)'),
    enabled: z.boolean().default(true).describe('deliver to this output'),
    eventTypes: z.array(z.enum(EVENT_TYPES)).default([]).describe('event types this output takes; empty = all'),
    cameras: z.array(z.string()).default([]).describe('camera ids this output takes; empty = all'),
    maxAttempts: z.number().int().min(1).optional().describe('attempts before dead-lettering, for this output; unset = delivery.maxAttempts'),
    timeoutSeconds: z.number().positive().optional().describe('delivery timeout for this output; unset = delivery.timeoutSeconds'),
    concurrency: z.number().int().min(1).max(64).optional().describe('deliveries in progress at once for this output; unset = delivery.concurrency'),
  })
  .describe('a destination for events: a VMS, a webhook or an MQTT broker');

/** Fields every output has; the rest of an output entry belongs to its plugin. */
export const COMMON_OUTPUT_FIELDS = ['type', 'name', 'enabled', 'eventTypes', 'cameras', 'maxAttempts', 'timeoutSeconds', 'concurrency'] as const;

/** The name an output goes by: its own, else type and 1-based position (`webhook-2`). */
export function outputName(output: { name: string; type: string }, index: number): string {
  return output.name || `${output.type}-${index + 1}`;
}

export type OutputConfig = z.infer<typeof outputSchema>;

export const outputsSchema = z.array(outputSchema).default([]).describe('where events are delivered');
