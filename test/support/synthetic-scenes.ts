/**
 * Synthetic tracking scenes with known ground truth, for the tracker's tests and benchmark: persons and vehicles
 * walking across the picture at constant speed with slow turns, crossing and occluding each other (the one lower
 * in the picture is nearer and hides the other), missed detections, box jitter, lower confidence when partly
 * hidden, and a few false positives. Deterministic for a seed.
 */
import type { Detection, NormalizedBox } from '../../src/sdk/index.js';

export interface GroundTruthObject {
  id: number;
  label: string;
  box: NormalizedBox;
  /** Fraction of the box not hidden by nearer objects. */
  visibility: number;
}

export interface SceneFrame {
  time: number;
  truth: GroundTruthObject[];
  detections: Detection[];
}

export interface SceneOptions {
  seed: number;
  seconds: number;
  fps: number;
  objects: number;
  missRate?: number;
  jitter?: number;
  falsePositiveRate?: number;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

interface Mover {
  id: number;
  label: string;
  classId: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
  w: number;
  h: number;
  start: number;
  end: number;
}

function boxOf(m: Mover): NormalizedBox {
  return { x1: m.x - m.w / 2, y1: m.y - m.h, x2: m.x + m.w / 2, y2: m.y };
}

function overlapArea(a: NormalizedBox, b: NormalizedBox): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? w * h : 0;
}

export function generateScene(options: SceneOptions): SceneFrame[] {
  const r = rng(options.seed);
  const miss = options.missRate ?? 0.1;
  const jitter = options.jitter ?? 0.04;
  const fpRate = options.falsePositiveRate ?? 0.05;
  const movers: Mover[] = [];
  for (let i = 0; i < options.objects; i++) {
    const vehicle = r() < 0.15;
    const fromLeft = r() < 0.5;
    const speed = vehicle ? 0.08 + r() * 0.08 : 0.03 + r() * 0.05; // picture widths per second
    const y = 0.35 + r() * 0.6; // feet position; lower = nearer = bigger
    const scale = 0.5 + y;
    const h = (vehicle ? 0.12 : 0.16) * scale;
    const w = vehicle ? h * 1.8 : h * 0.4;
    const start = r() * options.seconds * 0.6;
    movers.push({
      id: i + 1,
      label: vehicle ? 'car' : 'person',
      classId: vehicle ? 2 : 0,
      x: fromLeft ? -w / 2 + 0.001 : 1 + w / 2 - 0.001,
      y,
      vx: fromLeft ? speed : -speed,
      vy: (r() - 0.5) * 0.03,
      w,
      h,
      start,
      end: options.seconds,
    });
  }
  const frames: SceneFrame[] = [];
  const dt = 1 / options.fps;
  for (let k = 0; k < options.seconds * options.fps; k++) {
    const t = k * dt;
    const live = movers.filter((m) => t >= m.start && m.x > -m.w && m.x < 1 + m.w);
    const boxes = live.map(boxOf);
    const truth: GroundTruthObject[] = [];
    live.forEach((m, i) => {
      const b = boxes[i]!;
      const area = (b.x2 - b.x1) * (b.y2 - b.y1);
      let hidden = 0;
      live.forEach((o, j) => {
        if (j !== i && o.y > m.y) hidden += overlapArea(b, boxes[j]!);
      });
      const clipped = { x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(1, b.x2), y2: Math.min(1, b.y2) };
      const inside = Math.max(0, clipped.x2 - clipped.x1) * Math.max(0, clipped.y2 - clipped.y1);
      // hidden by nearer objects (being cut by the picture edge does not lower a detector's confidence much)
      const visibility = Math.max(0, 1 - hidden / area);
      if (inside / area < 0.3) return; // mostly out of the picture: not in the ground truth
      truth.push({ id: m.id, label: m.label, box: clipped, visibility });
    });
    const detections: Detection[] = [];
    truth.forEach((g, i) => {
      const m = live.find((x) => x.id === g.id)!;
      void i;
      if (g.visibility < 0.25) return;
      if (r() < miss) return;
      const w = g.box.x2 - g.box.x1;
      const h = g.box.y2 - g.box.y1;
      const j = () => gauss(r) * jitter;
      const score = g.visibility > 0.7 ? 0.6 + r() * 0.35 : 0.15 + r() * 0.4;
      detections.push({
        label: m.label,
        classId: m.classId,
        score,
        box: { x1: g.box.x1 + j() * w, y1: g.box.y1 + j() * h, x2: g.box.x2 + j() * w, y2: g.box.y2 + j() * h },
      });
    });
    if (r() < fpRate) {
      const x = r() * 0.9;
      const y = r() * 0.8;
      detections.push({ label: 'person', classId: 0, score: 0.2 + r() * 0.5, box: { x1: x, y1: y, x2: x + 0.04, y2: y + 0.12 } });
    }
    frames.push({ time: Math.round(t * 1000), truth, detections });
    for (const m of movers) {
      if (t < m.start) continue;
      m.x += m.vx * dt;
      m.y = Math.min(0.98, Math.max(0.3, m.y + m.vy * dt));
      m.vy += gauss(r) * 0.002;
    }
  }
  return frames;
}
