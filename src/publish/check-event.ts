import { EVENT_TYPES, type AnalyticsEvent } from '../sdk/index.js';

const TYPES = new Set<string>(EVENT_TYPES);
const STATES = new Set(['start', 'update', 'end']);
const unit = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

/**
 * What delivery relies on in an event, checked on every publish (cheap: the hot path). Files given to
 * `vigie events publish` are checked in full against `analyticsEventSchema` first.
 */
export function eventProblems(event: AnalyticsEvent): string[] {
  const e = event as unknown as Record<string, unknown>;
  if (e === null || typeof e !== 'object') return ['not an object'];
  const problems: string[] = [];
  const text = (key: string) => {
    if (typeof e[key] !== 'string' || (e[key]).length === 0) problems.push(`${key}: a non-empty string`);
  };
  text('id');
  text('incidentId');
  text('cameraId');
  if (!TYPES.has(e.type as string)) problems.push(`type: one of ${EVENT_TYPES.join(', ')}`);
  if (!STATES.has(e.state as string)) problems.push('state: start, update or end');
  if (!Number.isInteger(e.sequence) || (e.sequence as number) < 0) problems.push('sequence: an integer >= 0');
  if (typeof e.frameTime !== 'string' || Number.isNaN(Date.parse(e.frameTime))) problems.push('frameTime: an ISO 8601 time');
  const rule = e.rule as { name?: unknown } | undefined;
  if (typeof rule?.name !== 'string') problems.push('rule.name: a string');
  if (!Array.isArray(e.objects)) problems.push('objects: an array');
  else
    e.objects.forEach((o: { box?: Record<string, unknown>; score?: unknown }, i) => {
      if (!o?.box || !unit(o.box.x1) || !unit(o.box.y1) || !unit(o.box.x2) || !unit(o.box.y2)) problems.push(`objects[${i}].box: normalised coordinates in 0..1`);
    });
  if (e.counts === null || typeof e.counts !== 'object') problems.push('counts: an object');
  return problems;
}
