import { z } from 'zod';
import { EVENT_TYPES } from '../sdk/index.js';

const unit = z.number().min(0).max(1);
const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), { error: 'an ISO 8601 time, e.g. 2026-11-28T10:15:30.250Z' });

/**
 * The shape of an AnalyticsEvent, checked when events enter delivery (from the rules stage or from a file given
 * to `vigie events publish`). Loose: fields added by later versions pass through.
 */
export const analyticsEventSchema = z.looseObject({
  id: z.string().min(1).max(200),
  incidentId: z.string().min(1).max(200),
  type: z.enum(EVENT_TYPES),
  state: z.enum(['start', 'update', 'end']),
  sequence: z.number().int().min(0),
  cameraId: z.string().min(1),
  cameraName: z.string(),
  rule: z.looseObject({ name: z.string(), type: z.enum(EVENT_TYPES) }),
  frameTime: isoTime,
  emittedAt: isoTime,
  message: z.string(),
  objects: z.array(z.looseObject({ trackId: z.number(), label: z.string(), score: unit, box: z.looseObject({ x1: unit, y1: unit, x2: unit, y2: unit }) })),
  counts: z.record(z.string(), z.number()),
  frCode: z.string().optional(),
  provenance: z.looseObject({
    model: z.looseObject({ id: z.string(), sha256: z.string() }),
    thresholds: z.record(z.string(), z.number()),
    ruleConfigSha256: z.string(),
    software: z.string(),
  }),
  evidence: z.looseObject({ snapshotId: z.string(), contentType: z.literal('image/jpeg') }).optional(),
});
