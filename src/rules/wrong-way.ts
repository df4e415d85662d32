import type { RuleConfig } from '../config/index.js';
import { foot, inZone, numericFields, ofClasses, pointAt } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'wrong_way' }>;

/** Smallest angle between two directions, degrees 0..180. */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/**
 * Wrong way: over the last `minDurationSeconds`, a track that stayed in the zone moved at least `minDisplacement`
 * in a direction within `angleToleranceDegrees` of the opposite of the allowed one. Standing still or milling about
 * moves too little to count; one incident per track.
 */
export class WrongWayRule implements Rule {
  readonly type = 'wrong_way';
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
    const wrong = (c.allowedDirection + 180) % 360;
    const windowMs = Math.max(c.minDurationSeconds * 1000, 200);
    const out: Observation[] = [];
    for (const t of ofClasses(input.tracks, c.classes, c.minConfidence)) {
      if (!t.visible || !inZone(c.zone, foot(t))) continue;
      const start = pointAt(t, input.time - windowMs);
      if (!start || !inZone(c.zone, start.foot)) continue;
      const now = foot(t);
      const dx = now[0] - start.foot[0];
      const dy = now[1] - start.foot[1];
      if (Math.hypot(dx, dy) < c.minDisplacement) continue;
      const heading = (Math.atan2(dy, dx) * 180) / Math.PI;
      if (angleBetween(heading, wrong) > c.angleToleranceDegrees) continue;
      out.push({
        key: `track:${t.trackId}`,
        objects: [t],
        counts: {},
        message: `Wrong-way movement in zone "${c.name}": ${t.label} ${t.trackId} heading ${Math.round((heading + 360) % 360)}° (allowed ${c.allowedDirection}°)`,
      });
    }
    return out;
  }
}
