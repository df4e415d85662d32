import type { RuleConfig } from '../config/index.js';
import { foot, inZone, numericFields, ofClasses } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'crowd_density' }>;

/** Excessive density: more persons in the zone than `maxCount`, or more per square metre than `maxPerSquareMetre`. */
export class CrowdDensityRule implements Rule {
  readonly type = 'crowd_density';
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
    const inside = ofClasses(input.tracks, c.classes, c.minConfidence).filter((t) => t.visible && inZone(c.zone, foot(t)));
    const n = inside.length;
    const perM2 = c.areaSquareMetres ? n / c.areaSquareMetres : undefined;
    const overCount = c.maxCount !== undefined && n > c.maxCount;
    const overDensity = c.maxPerSquareMetre !== undefined && perM2 !== undefined && perM2 > c.maxPerSquareMetre;
    if (!overCount && !overDensity) return [];
    const counts: Record<string, number> = { inside: n };
    if (perM2 !== undefined) counts.perSquareMetre = Math.round(perM2 * 100) / 100;
    return [
      {
        key: 'zone',
        objects: inside,
        counts,
        message: `Excessive density in zone "${c.name}": ${n} persons${perM2 !== undefined ? ` (${counts.perSquareMetre}/m²)` : ''}`,
      },
    ];
  }
}
