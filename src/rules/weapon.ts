import type { RuleConfig } from '../config/index.js';
import { confirmedOfClasses } from './confirmed-class.js';
import { numericFields } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'weapon' }>;

/** Weapon: a track of a weapon class seen over `confirmSeconds` (several detections), one incident per track. */
export class WeaponRule implements Rule {
  readonly type = 'weapon';
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
    return confirmedOfClasses(input.tracks, this.config).map((t) => ({
      key: `track:${t.trackId}`,
      objects: [t],
      counts: {},
      message: `Weapon (${t.label}) seen in "${this.config.name}": track ${t.trackId}, confidence ${t.score.toFixed(2)}`,
    }));
  }
}
