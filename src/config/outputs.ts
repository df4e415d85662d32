import { z } from 'zod';
import { EVENT_TYPES } from '../sdk/index.js';

export const OUTPUT_TYPES = ['milestone', 'milestone-generic', 'genetec', 'nx', 'webhook', 'mqtt'] as const;

/**
 * Fields every output has. Each output type adds its own fields, validated by its plugin's schema when the plugin
 * host loads it, so this schema lets them through.
 */
export const outputSchema = z
  .looseObject({
    type: z.enum(OUTPUT_TYPES, { error: `unknown output type: use one of ${OUTPUT_TYPES.join(', ')}` }).describe('which VMS or transport (required)'),
    name: z.string().default('').describe('name used in logs, health and the dead-letter list; empty = type and index'),
    url: z.string().min(1, { error: 'an output needs a url (for mqtt: mqtt://host:port)' }).describe('where events go (required)'),
    enabled: z.boolean().default(true).describe('deliver to this output'),
    eventTypes: z.array(z.enum(EVENT_TYPES)).default([]).describe('event types this output takes; empty = all'),
    cameras: z.array(z.string()).default([]).describe('camera ids this output takes; empty = all'),
  })
  .describe('a destination for events: a VMS, a webhook or an MQTT broker');

export const outputsSchema = z.array(outputSchema).default([]).describe('where events are delivered');
