import type { RuleConfig } from '../config/index.js';
import type { TrackPoint } from '../tracking/index.js';
import { centre, inZone, numericFields } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'person_down' }>;

/**
 * Person down: a tracked person whose box was upright (taller than wide) and turned lying (wider than tall by
 * `lyingAspectRatio`, in pixels), and has stayed lying for `durationSeconds` without its centre moving more than
 * `maxMovement`. Bending down or crouching (a box about as wide as tall, or lying for a moment) is not a fall;
 * nor is a person seen lying from the start of its track (asleep on a bench), since no fall was seen.
 */
export class PersonDownRule implements Rule {
  readonly type = 'person_down';
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
    const aspect = (p: TrackPoint) => ((p.box.x2 - p.box.x1) * input.width) / Math.max(1e-9, (p.box.y2 - p.box.y1) * input.height);
    const lying = (p: TrackPoint) => aspect(p) >= c.lyingAspectRatio;
    const upright = (p: TrackPoint) => aspect(p) <= 1 / c.lyingAspectRatio;
    const out: Observation[] = [];
    for (const t of input.tracks) {
      if (t.label !== 'person' || t.score < c.minConfidence || !inZone(c.zone, centre(t))) continue;
      const seen = t.history.filter((p) => p.detected);
      if (seen.length === 0 || !lying(seen[seen.length - 1]!)) continue;
      // start of the current lying spell, and what came before it
      let i = seen.length - 1;
      while (i > 0 && lying(seen[i - 1]!)) i--;
      const since = seen[i]!;
      if (!seen.slice(0, i).some(upright)) continue;
      const down = input.time - since.time;
      if (down < c.durationSeconds * 1000) continue;
      const moved = Math.max(...seen.slice(i).map((p) => Math.hypot(p.center[0] - since.center[0], p.center[1] - since.center[1])));
      if (moved > c.maxMovement) continue;
      out.push({ key: `track:${t.trackId}`, objects: [t], counts: { downSeconds: Math.round(down / 1000) }, message: `Person on the ground in "${c.name}": person ${t.trackId} down for ${Math.round(down / 1000)} s` });
    }
    return out;
  }
}
