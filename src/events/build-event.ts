import { createHash } from 'node:crypto';
import type { RuleConfig } from '../config/index.js';
import type { Rule } from '../rules/index.js';
import { EVENT_TYPE_INFO, type AnalyticsEvent, type EventObject } from '../sdk/index.js';
import type { IncidentTransition } from './incidents.js';
import { uuidv7 } from './uuid.js';

/** Canonical JSON: keys sorted at every level, so equal configurations hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of a rule's configuration (canonical JSON), the `ruleConfigSha256` of its events' provenance. */
export function ruleConfigHash(config: RuleConfig): string {
  return createHash('sha256').update(canonical(config)).digest('hex');
}

export interface EventContext {
  cameraId: string;
  cameraName: string;
  /** Capture time of the frame, epoch ms. */
  frameTime: number;
  model: { id: string; sha256: string };
  /** Detector thresholds (score, NMS) in force. */
  detectorThresholds: Record<string, number>;
  software: string;
  sequence: number;
  /** fr-vsa mode: counts that make a line crossing a counter are left out. */
  mode: 'standard' | 'fr-vsa';
}

const round = (v: number) => Math.round(v * 10000) / 10000;

/** The canonical event of one incident transition. */
export function buildEvent(rule: Rule, transition: IncidentTransition, ctx: EventContext): AnalyticsEvent {
  const info = EVENT_TYPE_INFO[rule.type];
  const objects: EventObject[] = transition.observation.objects.map((t) => ({
    trackId: t.trackId,
    label: t.label,
    score: round(t.score),
    box: { x1: round(t.box.x1), y1: round(t.box.y1), x2: round(t.box.x2), y2: round(t.box.y2) },
  }));
  const thresholds: Record<string, number> = { ...ctx.detectorThresholds };
  for (const [k, v] of Object.entries(rule.thresholds())) thresholds[`rule.${k}`] = v;
  const prefix = transition.state === 'end' ? 'Ended: ' : '';
  return {
    id: uuidv7(),
    incidentId: transition.incidentId,
    type: rule.type,
    state: transition.state,
    sequence: ctx.sequence,
    cameraId: ctx.cameraId,
    cameraName: ctx.cameraName,
    rule: { name: rule.name, type: rule.type },
    frameTime: new Date(ctx.frameTime).toISOString(),
    emittedAt: new Date().toISOString(),
    message: `${prefix}${transition.observation.message}`,
    objects,
    counts: { ...transition.observation.counts },
    ...(info.frCode ? { frCode: info.frCode } : {}),
    provenance: { model: { ...ctx.model }, thresholds, ruleConfigSha256: ruleConfigHash(rule.config), software: ctx.software },
  };
}
