/**
 * Synthetic track streams for rule tests: scripted detections per frame go through the real tracker, then the
 * rule, then incident timing, as in the hub. Boxes are given by their ground point (bottom centre) and size.
 */
import { trackingSchema } from '../../src/config/index.js';
import { IncidentTracker, type IncidentTransition } from '../../src/events/index.js';
import type { Observation, Rule } from '../../src/rules/index.js';
import type { Detection } from '../../src/sdk/index.js';
import { Tracker } from '../../src/tracking/index.js';

const CLASS_IDS: Record<string, number> = { person: 0, car: 2, backpack: 24, handbag: 26, suitcase: 28, knife: 43, fire: 0, smoke: 1 };

/** A detection standing at (x, footY), `w` wide and `h` tall (normalised). */
export function det(label: string, x: number, footY: number, w: number, h: number, score = 0.9): Detection {
  return { label, classId: CLASS_IDS[label] ?? 0, score, box: { x1: x - w / 2, y1: footY - h, x2: x + w / 2, y2: footY } };
}

export const person = (x: number, footY: number, score = 0.9) => det('person', x, footY, 0.04, 0.12, score);

export interface RuleRun {
  /** Observations per frame. */
  observations: Observation[][];
  transitions: IncidentTransition[];
  starts: IncidentTransition[];
}

/** Runs `rule` over `seconds` at `fps`, with `scene(t)` giving the detections at t seconds. Picture 640x480 unless given. */
export function runRule(rule: Rule, seconds: number, scene: (t: number) => Detection[], options: { fps?: number; width?: number; height?: number; t0?: number } = {}): RuleRun {
  const fps = options.fps ?? 5;
  const t0 = options.t0 ?? 1_790_000_000_000;
  const tracker = new Tracker(trackingSchema.parse({}));
  const incidents = new IncidentTracker({ debounceSeconds: rule.config.debounceSeconds, cooldownSeconds: rule.config.cooldownSeconds });
  const observations: Observation[][] = [];
  const transitions: IncidentTransition[] = [];
  for (let k = 0; k <= seconds * fps; k++) {
    const t = k / fps;
    const time = t0 + Math.round(t * 1000);
    const u = tracker.update({ captureTime: time, detections: scene(t) });
    const obs = rule.evaluate({ cameraId: 'cam', time, width: options.width ?? 640, height: options.height ?? 480, tracks: u.tracks });
    observations.push(obs);
    transitions.push(...incidents.step(time, obs));
  }
  return { observations, transitions, starts: transitions.filter((x) => x.state === 'start') };
}
