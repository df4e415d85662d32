import { z } from 'zod';
import type { AnalyticsEvent } from './analytics-event.js';
import { EVENT_TYPE_INFO } from './event-types.js';

/** Placeholders a text template may use, with what they become. */
export const TEMPLATE_PLACEHOLDERS: Readonly<Record<string, (event: AnalyticsEvent) => string>> = {
  id: (e) => e.id,
  incidentId: (e) => e.incidentId,
  type: (e) => e.type,
  title: (e) => EVENT_TYPE_INFO[e.type].title,
  state: (e) => e.state,
  cameraId: (e) => e.cameraId,
  cameraName: (e) => e.cameraName || e.cameraId,
  rule: (e) => e.rule.name,
  message: (e) => e.message,
  frCode: (e) => e.frCode ?? '',
  time: (e) => e.frameTime,
  objects: (e) => summariseObjects(e),
  score: (e) => (e.objects.length ? Math.max(...e.objects.map((o) => o.score)).toFixed(2) : ''),
};

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** `{title} on {cameraName}` → `Intrusion in a forbidden zone on Main entrance`. Unknown placeholders stay as written. */
export function renderTemplate(template: string, event: AnalyticsEvent): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => TEMPLATE_PLACEHOLDERS[name]?.(event) ?? whole);
}

/** Placeholders of `template` that do not exist. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(name in TEMPLATE_PLACEHOLDERS));
}

/** A configuration field holding a text template, checked for unknown placeholders. */
export function templateField(description: string, defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .superRefine((value, ctx) => {
      const unknown = unknownPlaceholders(value);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')}: use ${Object.keys(TEMPLATE_PLACEHOLDERS).map((p) => `{${p}}`).join(', ')}`,
        });
      }
    })
    .describe(`${description}; placeholders: ${Object.keys(TEMPLATE_PLACEHOLDERS).map((p) => `{${p}}`).join(' ')}`);
}

/** `2 person, 1 backpack`, in order of first appearance. */
export function summariseObjects(event: AnalyticsEvent): string {
  const counts = new Map<string, number>();
  for (const o of event.objects) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}
