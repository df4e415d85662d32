import type { RuleConfig } from '../config/index.js';
import { cross, distance, segmentsIntersect, type Point } from '../geometry/index.js';
import { foot, numericFields, ofClasses, prune } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'line_crossing' }>;

/** Distance from the line (normalised) a point must reach for its side to count: jitter on the line is no crossing. */
const HYSTERESIS = 0.01;

/**
 * Line crossing: a track's ground point moves from one side of the line to the other across the segment A-B.
 * A→B is from the left of A→B to its right as seen on screen. Counters per direction since the rule started;
 * each crossing in a configured direction is a one-off event carrying them, and every `reportIntervalSeconds`
 * with crossings since the last report, a report event (no objects) carries them too.
 */
export class LineCrossingRule implements Rule {
  readonly type = 'line_crossing';
  readonly name: string;
  readonly shape;
  private readonly sides = new Map<number, { side: -1 | 1; point: Point; seen: number }>();
  private readonly counters = { a_to_b: 0, b_to_a: 0 };
  private lastReport: { time: number; total: number } | undefined;

  constructor(readonly config: Config) {
    this.name = config.name;
    this.shape = { line: config.line };
  }

  thresholds(): Record<string, number> {
    return { ...numericFields(this.config), hysteresis: HYSTERESIS };
  }

  /** Crossings counted so far, per direction. */
  counts(): { a_to_b: number; b_to_a: number } {
    return { ...this.counters };
  }

  evaluate(input: RuleInput): Observation[] {
    const c = this.config;
    const [a, b] = c.line;
    const length = distance(a, b);
    const out: Observation[] = [];
    for (const t of ofClasses(input.tracks, c.classes, c.minConfidence)) {
      if (!t.visible) continue;
      const p = foot(t);
      const offset = cross(a, b, p) / length; // signed distance, positive on the right of A→B
      if (Math.abs(offset) < HYSTERESIS) {
        const s = this.sides.get(t.trackId);
        if (s) s.seen = input.time;
        continue;
      }
      const side: -1 | 1 = offset > 0 ? 1 : -1;
      const previous = this.sides.get(t.trackId);
      this.sides.set(t.trackId, { side, point: p, seen: input.time });
      if (!previous || previous.side === side) continue;
      // the path from where the last side was seen to here must pass through the segment, not beside it
      if (!segmentsIntersect(previous.point, p, a, b)) continue;
      const direction = side === 1 ? 'a_to_b' : 'b_to_a';
      this.counters[direction]++;
      if (c.direction !== 'both' && c.direction !== direction) continue;
      out.push({
        key: `crossing:${t.trackId}:${this.counters.a_to_b + this.counters.b_to_a}`,
        objects: [t],
        counts: { ...this.counters },
        message: `Line "${c.name}" crossed ${direction === 'a_to_b' ? 'A→B' : 'B→A'} by ${t.label} ${t.trackId} (A→B ${this.counters.a_to_b}, B→A ${this.counters.b_to_a})`,
        pulse: true,
      });
    }
    prune(this.sides, input.time);
    const total = this.counters.a_to_b + this.counters.b_to_a;
    this.lastReport ??= { time: input.time, total: 0 };
    if (input.time - this.lastReport.time >= c.reportIntervalSeconds * 1000) {
      if (total > this.lastReport.total) {
        out.push({
          key: `report:${input.time}`,
          objects: [],
          counts: { ...this.counters },
          message: `Line "${c.name}" counts: A→B ${this.counters.a_to_b}, B→A ${this.counters.b_to_a} (${total - this.lastReport.total} in the last ${c.reportIntervalSeconds} s)`,
          pulse: true,
        });
      }
      this.lastReport = { time: input.time, total };
    }
    return out;
  }
}
