/**
 * Tracker benchmark on synthetic scenes with known ground truth (test/support/synthetic-scenes.ts): persons and
 * vehicles crossing and occluding each other, missed detections, jitter, false positives. Reports MOTA, IDF1 and
 * ID switches of the tracks Vigie reports (visible, or predicted through misses of up to tracking.coastSeconds) of its ByteTrack-style tracker against a naive IoU-only tracker (greedy match to the last box,
 * no motion model, no low-confidence pass) on the same detections in the same run, and the tracker's frames/s
 * against the naive one.
 *   npm run bench:tracker -- [--json] [--scenes N] [--seconds S] [--fps F] [--objects K]
 * Last line: one JSON object.
 */
import { parseArgs } from 'node:util';
import { trackingSchema } from '../src/config/index.js';
import type { Detection, NormalizedBox } from '../src/sdk/index.js';
import { iou, Tracker } from '../src/tracking/index.js';
import { evaluateMot, type MotFrame, type MotResult } from '../test/support/mot-metrics.js';
import { generateScene, type SceneFrame } from '../test/support/synthetic-scenes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    scenes: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '60' },
    fps: { type: 'string', default: '10' },
    objects: { type: 'string', default: '25' },
  },
});

/** The baseline: each detection over 0.5 goes to the unmatched track of its class whose last box overlaps it most. */
class NaiveIouTracker {
  private tracks: Array<{ id: number; label: string; box: NormalizedBox; lastSeen: number }> = [];
  private nextId = 1;
  update(time: number, detections: Detection[]): Array<{ id: number; box: NormalizedBox }> {
    const out: Array<{ id: number; box: NormalizedBox }> = [];
    const used = new Set<number>();
    for (const d of detections.filter((x) => x.score >= 0.5).sort((a, b) => b.score - a.score)) {
      let best = -1;
      let bestIou = 0.3;
      this.tracks.forEach((t, i) => {
        if (used.has(i) || t.label !== d.label) return;
        const v = iou(t.box, d.box);
        if (v > bestIou) {
          bestIou = v;
          best = i;
        }
      });
      if (best < 0) {
        this.tracks.push({ id: this.nextId++, label: d.label, box: d.box, lastSeen: time });
        best = this.tracks.length - 1;
      } else {
        this.tracks[best]!.box = d.box;
        this.tracks[best]!.lastSeen = time;
      }
      used.add(best);
      out.push({ id: this.tracks[best]!.id, box: d.box });
    }
    this.tracks = this.tracks.filter((t) => time - t.lastSeen <= 1000);
    return out;
  }
}

function runVigie(scene: SceneFrame[]): { frames: MotFrame[]; ms: number } {
  const tracker = new Tracker(trackingSchema.parse({}));
  const frames: MotFrame[] = [];
  const started = performance.now();
  for (const f of scene) {
    const u = tracker.update({ captureTime: f.time, detections: f.detections });
    frames.push({ truth: f.truth.filter((t) => t.visibility >= 0.25), hypotheses: u.reported.map((t) => ({ id: t.trackId, box: t.box })) });
  }
  return { frames, ms: performance.now() - started };
}

function runNaive(scene: SceneFrame[]): { frames: MotFrame[]; ms: number } {
  const tracker = new NaiveIouTracker();
  const frames: MotFrame[] = [];
  const started = performance.now();
  for (const f of scene) {
    const out = tracker.update(f.time, f.detections);
    frames.push({ truth: f.truth.filter((t) => t.visibility >= 0.25), hypotheses: out });
  }
  return { frames, ms: performance.now() - started };
}

const scenes = Number(values.scenes);
const vigieFrames: MotFrame[][] = [];
const naiveFrames: MotFrame[][] = [];
let vigieMs = 0;
let naiveMs = 0;
let frameCount = 0;
for (let s = 0; s < scenes; s++) {
  const scene = generateScene({ seed: 1000 + s, seconds: Number(values.seconds), fps: Number(values.fps), objects: Number(values.objects) });
  frameCount += scene.length;
  const v = runVigie(scene);
  const n = runNaive(scene);
  vigieFrames.push(v.frames);
  naiveFrames.push(n.frames);
  vigieMs += v.ms;
  naiveMs += n.ms;
}

function pooled(all: MotFrame[][]): MotResult {
  // ids are per scene: offset them so scenes do not share ids
  const frames: MotFrame[] = [];
  all.forEach((scene, s) => {
    for (const f of scene) {
      frames.push({ truth: f.truth.map((t) => ({ id: s * 100000 + t.id, box: t.box })), hypotheses: f.hypotheses.map((h) => ({ id: s * 100000 + h.id, box: h.box })) });
    }
  });
  return evaluateMot(frames);
}

const vigie = pooled(vigieFrames);
const naive = pooled(naiveFrames);
const round = (v: number) => Math.round(v * 1000) / 1000;
const result = {
  bench: 'tracker',
  scenes,
  frames: frameCount,
  fps: Number(values.fps),
  objectsPerScene: Number(values.objects),
  mota: round(vigie.mota),
  idf1: round(vigie.idf1),
  id_switches: vigie.idSwitches,
  false_negatives: vigie.falseNegatives,
  false_positives: vigie.falsePositives,
  ground_truth: vigie.groundTruth,
  baseline: { name: 'naive IoU-only tracker', mota: round(naive.mota), idf1: round(naive.idf1), id_switches: naive.idSwitches },
  idf1_ratio_vs_baseline: round(vigie.idf1 / naive.idf1),
  id_switches_ratio_vs_baseline: round(vigie.idSwitches / Math.max(1, naive.idSwitches)),
  tracker_frames_per_s: Math.round((frameCount / vigieMs) * 1000),
  baseline_frames_per_s: Math.round((frameCount / naiveMs) * 1000),
  speed_ratio_vs_baseline: round(naiveMs / vigieMs),
};
if (!values.json) {
  process.stdout.write(`Vigie tracker: MOTA ${result.mota}, IDF1 ${result.idf1}, ID switches ${result.id_switches} (${frameCount} frames, ${result.tracker_frames_per_s} frames/s)\n`);
  process.stdout.write(`naive IoU tracker: MOTA ${result.baseline.mota}, IDF1 ${result.baseline.idf1}, ID switches ${result.baseline.id_switches}\n`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
