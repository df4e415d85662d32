import type { RuleConfig } from '../config/index.js';
import { confirmedOfClasses } from './confirmed-class.js';
import { numericFields } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'fire' }>;

/**
 * Fire start: fire or smoke classes of a fire model, each seen over `confirmSeconds`. There is no colour
 * heuristic: without a model producing these classes the rule refuses to start (see createRule).
 */
export class FireRule implements Rule {
  readonly type = 'fire';
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
    const seen = confirmedOfClasses(input.tracks, this.config);
    if (seen.length === 0) return [];
    return [{ key: 'zone', objects: seen, counts: { fire: seen.filter((t) => t.label !== 'smoke').length, smoke: seen.filter((t) => t.label === 'smoke').length }, message: `Fire start in "${this.config.name}": ${seen.map((t) => t.label).join(', ')}` }];
  }
}
