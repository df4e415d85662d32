import type { RuleConfig } from '../config/index.js';
import { foot, inZone, numericFields, ofClasses, plural, zoneStay } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'intrusion' }>;

/**
 * Intrusion: an object of the watched classes whose ground point (bottom centre of its box) is in the zone for
 * `minDwellSeconds`; with `trigger: entry`, only objects seen outside the zone first. One incident per object.
 */
export class IntrusionRule implements Rule {
  readonly type = 'intrusion';
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
    const inside = ofClasses(input.tracks, c.classes, c.minConfidence).filter((t) => inZone(c.zone, foot(t)));
    const out: Observation[] = [];
    for (const t of inside) {
      const stay = zoneStay(t, c.zone, input.time);
      if (c.trigger === 'entry' && !stay.entered) continue;
      if (stay.ms < c.minDwellSeconds * 1000) continue;
      out.push({
        key: `track:${t.trackId}`,
        objects: [t],
        counts: { inside: inside.length },
        message: `Intrusion in zone "${c.name}": ${t.label} ${t.trackId} (${plural(inside.length, 'object')} inside)`,
      });
    }
    return out;
  }
}
