import { z } from 'zod';
import type { EventState } from './analytics-event.js';

/**
 * Which messages of an incident (start, update, end) an output sends. VMSs that raise an alarm per event usually
 * want the start only; those with lasting events (Nx started/stopped) want start and end.
 */
export function statesField(defaults: readonly EventState[], why: string) {
  return z
    .array(z.enum(['start', 'update', 'end']))
    .min(1, { error: 'list at least one of start, update, end' })
    .default([...defaults])
    .describe(`which messages of an incident are sent (start, update, end); ${why}`);
}
