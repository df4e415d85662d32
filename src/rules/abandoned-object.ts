import type { RuleConfig } from '../config/index.js';
import type { Point } from '../geometry/index.js';
import { boxGap, iou, type TrackView } from '../tracking/index.js';
import { centre, inZone, numericFields, plural } from './helpers.js';
import type { Observation, Rule, RuleInput } from './rule.js';

type Config = Extract<RuleConfig, { type: 'abandoned_object' }>;

/** Objects seen during the first seconds of analysis are part of the scene (a bin, a bench), never abandoned. */
const SCENERY_SECONDS = 3;

interface ObjectState {
  anchor: Point;
  stationarySince: number;
  lastAttended: number;
  scenery: boolean;
  seen: number;
}

/**
 * Abandoned object: a bag-like object that stays still (within `maxMovement` of where it stopped) for
 * `stationarySeconds` while no person is within `ownerRadius` of it (box edge to box edge) for that whole time.
 * A person sitting or standing next to it attends it and restarts the clock. Objects already there when the rule
 * starts (a bin, a bench misread as a suitcase) are part of the scene, and so is an object that reappears where
 * one of them was (a new track after an occlusion): only objects brought after the start can be abandoned.
 */
export class AbandonedObjectRule implements Rule {
  readonly type = 'abandoned_object';
  readonly name: string;
  readonly shape;
  private started: number | undefined;
  private readonly objects = new Map<number, ObjectState>();
  private readonly sceneryBoxes: TrackView['box'][] = [];

  constructor(readonly config: Config) {
    this.name = config.name;
    this.shape = { zone: config.zone };
  }

  thresholds(): Record<string, number> {
    return { ...numericFields(this.config), scenerySeconds: SCENERY_SECONDS };
  }

  evaluate(input: RuleInput): Observation[] {
    const c = this.config;
    const now = input.time;
    this.started ??= now;
    const persons = input.tracks.filter((t) => t.label === 'person');
    const out: Observation[] = [];
    for (const t of input.tracks) {
      if (!c.classes.includes(t.label) || t.score < c.minConfidence) continue;
      const p = centre(t);
      if (!inZone(c.zone, p)) continue;
      let s = this.objects.get(t.trackId);
      if (!s) {
        const scenery = now - this.started <= SCENERY_SECONDS * 1000 || this.sceneryBoxes.some((b) => iou(b, t.box) > 0.3);
        s = { anchor: p, stationarySince: now, lastAttended: now, scenery, seen: now };
        this.objects.set(t.trackId, s);
        if (scenery) this.sceneryBoxes.push(t.box);
      }
      s.seen = now;
      if (Math.hypot(p[0] - s.anchor[0], p[1] - s.anchor[1]) > c.maxMovement) {
        s.anchor = p;
        s.stationarySince = now;
      }
      if (persons.some((q) => boxGap(q.box, t.box) <= c.ownerRadius)) s.lastAttended = now;
      if (s.scenery) continue;
      const still = now - s.stationarySince;
      const alone = now - s.lastAttended;
      if (still < c.stationarySeconds * 1000 || alone < c.stationarySeconds * 1000) continue;
      out.push({
        key: `track:${t.trackId}`,
        objects: [t],
        counts: { stationarySeconds: Math.round(still / 1000), unattendedSeconds: Math.round(alone / 1000) },
        message: `Abandoned object in "${c.name}": ${t.label} ${t.trackId} still and unattended for ${plural(Math.round(alone / 1000), 'second')}`,
      });
    }
    for (const [id, s] of this.objects) if (now - s.seen > 60_000) this.objects.delete(id);
    return out;
  }
}
