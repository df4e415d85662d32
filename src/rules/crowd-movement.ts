import type { RuleConfig } from '../config/index.js';
import { foot, inZone, numericFields, ofClasses, recentSpeed } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'crowd_movement' }>;

/** Speeds are measured over this window (the ground point's displacement, not one frame's jitter). */
const SPEED_WINDOW_MS = 1000;
/** Below this (normalised units per second, ~ a slow shuffle) the baseline is raised to it: a still crowd starting to walk is not a stampede. */
const BASELINE_FLOOR = 0.02;

/**
 * Crowd movement: at least `minTracks` persons in the zone move, at the same moment, `speedFactor` times faster
 * than the zone's recent baseline (median of the mean speed of its persons over `baselineSeconds`, measured
 * while no crowd movement was under way). Running away from a point (dispersal) and a sudden rush both qualify;
 * a dense but slow queue, however many people, moves at its own baseline and is density, not crowd movement.
 * The rule waits for a third of the baseline window before judging.
 */
export class CrowdMovementRule implements Rule {
  readonly type = 'crowd_movement';
  readonly name: string;
  readonly shape;
  private readonly samples: Array<{ time: number; speed: number }> = [];

  constructor(readonly config: Config) {
    this.name = config.name;
    this.shape = { zone: config.zone };
  }

  thresholds(): Record<string, number> {
    return { ...numericFields(this.config), baselineFloor: BASELINE_FLOOR };
  }

  /** The zone's recent baseline speed, or undefined while not enough is known. */
  baseline(now: number): number | undefined {
    const windowMs = this.config.baselineSeconds * 1000;
    while (this.samples.length > 0 && this.samples[0]!.time < now - windowMs) this.samples.shift();
    if (this.samples.length === 0 || now - this.samples[0]!.time < windowMs / 3) return undefined;
    const sorted = this.samples.map((s) => s.speed).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  evaluate(input: RuleInput): Observation[] {
    const c = this.config;
    const inside = ofClasses(input.tracks, c.classes, c.minConfidence).filter((t) => t.visible && inZone(c.zone, foot(t)));
    const speeds = inside.map((t) => recentSpeed(t, input.time, SPEED_WINDOW_MS));
    const baseline = this.baseline(input.time);
    let moving: typeof inside = [];
    if (baseline !== undefined) {
      const threshold = c.speedFactor * Math.max(baseline, BASELINE_FLOOR);
      moving = inside.filter((_, i) => speeds[i]! >= threshold);
    }
    const alarm = moving.length >= c.minTracks;
    if (!alarm && inside.length > 0) this.samples.push({ time: input.time, speed: speeds.reduce((a, b) => a + b, 0) / speeds.length });
    if (!alarm) return [];
    return [
      {
        key: 'zone',
        objects: moving,
        counts: { moving: moving.length, inside: inside.length },
        message: `Crowd movement in zone "${c.name}": ${moving.length} of ${inside.length} persons moving over ${c.speedFactor}x the usual speed`,
      },
    ];
  }
}
