import type { RuleConfig } from '../config/index.js';
import { foot, inZone, numericFields, ofClasses, zoneStay } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'loitering' }>;

/** Loitering: a track stays in the zone without interruption for `durationSeconds` (standard mode only). */
export class LoiteringRule implements Rule {
  readonly type = 'loitering';
  readonly name: string;
  readonly shape;

  constructor(readonly config: Config) {
    this.name = config.name;
    this.shape = { zone: config.zone };
  }

  thresholds(): Record<string, number> {
    return numericFields(this.config);
  }

  evaluate(input: RuleInput): Observation[] {
    const c = this.config;
    const out: Observation[] = [];
    for (const t of ofClasses(input.tracks, c.classes, c.minConfidence)) {
      if (!inZone(c.zone, foot(t))) continue;
      const stay = zoneStay(t, c.zone, input.time);
      if (stay.ms < c.durationSeconds * 1000) continue;
      out.push({ key: `track:${t.trackId}`, objects: [t], counts: { seconds: Math.round(stay.ms / 1000) }, message: `Loitering in zone "${c.name}": ${t.label} ${t.trackId} for ${Math.round(stay.ms / 1000)} s` });
    }
    return out;
  }
}
