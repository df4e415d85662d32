import type { AnalyticsEvent } from '../../sdk/index.js';

/**
 * The demo's rules on the sample clip (vtest): an intrusion zone over the walkway (the parked cars at the top right
 * stay outside it) and the counting line of docs/hand-count.md across the walkway.
 */
export const DEMO_RULES = [
  {
    type: 'intrusion' as const,
    name: 'walkway',
    zone: [[0, 0.33], [0.5, 0.35], [0.9, 0.33], [1, 0.45], [1, 0.86], [0.4, 0.62], [0, 0.42]] as [number, number][],
    minDwellSeconds: 0.5,
  },
  { type: 'line_crossing' as const, name: 'walkway-line', line: [[0.4, 0.3], [0.4, 0.66]] as [[number, number], [number, number]], cooldownSeconds: 0 },
];

/** One console line per event: time, state, type, rule and the operator message. */
export function eventLine(e: AnalyticsEvent): string {
  return `${e.frameTime.slice(11, 19)} ${e.state.padEnd(6)} ${e.type} [${e.rule.name}] ${e.message}`;
}
