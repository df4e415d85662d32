/**
 * A direct path from the sample clip to detections, for end-to-end tests of the analytics stage while the
 * pipeline is not there: ffmpeg decodes the clip at a chosen rate, letterboxed into the model input (bgr24, pad
 * 114 right/bottom, as ingest does), and YOLOX-Nano runs on each frame through onnxruntime-node (one thread),
 * decoded as models/README.md and the shared model README describe. Boxes come back normalised to the picture.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { frameBoxToNormalized, letterbox, type Frame } from '../../src/frames/index.js';
import type { Detection, FrameDetections } from '../../src/sdk/index.js';
import { iou } from '../../src/tracking/index.js';
import { SHARED_ASSETS } from './paths.js';

const CLASSES = readFileSync(join(SHARED_ASSETS, 'models', 'coco_classes.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

/** Decoded frames of a video file, letterboxed into `input`, at `fps`. */
export async function* clipFrames(file: string, fps: number, source: { width: number; height: number }, input = { width: 416, height: 416 }): AsyncGenerator<Frame> {
  const g = letterbox(source, input);
  const vf = `fps=${fps},scale=${g.scaledWidth}:${g.scaledHeight},pad=${input.width}:${input.height}:0:0:color=0x727272`;
  const child = spawn('ffmpeg', ['-v', 'error', '-i', file, '-vf', vf, '-pix_fmt', 'bgr24', '-f', 'rawvideo', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const size = input.width * input.height * 3;
  let pending = Buffer.alloc(0);
  let sequence = 0;
  const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      const data = Buffer.from(pending.subarray(0, size));
      pending = pending.subarray(size);
      yield { cameraId: 'clip', sequence, captureTime: t0 + Math.round((sequence * 1000) / fps), geometry: g, data };
      sequence++;
    }
  }
}

export interface ClipDetector {
  model: { id: string; sha256: string; classes: readonly string[] };
  detect(frame: Frame): Promise<FrameDetections>;
}

/** YOLOX-Nano on onnxruntime-node, score threshold `minScore` (low, for the tracker's second pass), per-class NMS 0.45. */
export async function openClipDetector(modelPath: string, minScore = 0.1): Promise<ClipDetector> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const strides = [8, 16, 32];
  const model = { id: 'yolox-nano', sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14', classes: CLASSES };
  return {
    model,
    async detect(frame: Frame): Promise<FrameDetections> {
      const { width: w, height: h } = frame.geometry;
      const planar = new Float32Array(3 * w * h);
      for (let i = 0, p = 0; p < w * h; p++, i += 3) {
        planar[p] = frame.data[i]!;
        planar[w * h + p] = frame.data[i + 1]!;
        planar[2 * w * h + p] = frame.data[i + 2]!;
      }
      const out = await session.run({ images: new ort.Tensor('float32', planar, [1, 3, h, w]) });
      const o = out.output!.data as Float32Array;
      const candidates: Detection[] = [];
      let row = 0;
      for (const s of strides) {
        const gw = w / s;
        const gh = h / s;
        for (let gy = 0; gy < gh; gy++) {
          for (let gx = 0; gx < gw; gx++, row++) {
            const base = row * 85;
            const obj = o[base + 4]!;
            if (obj < minScore) continue;
            let best = 0;
            let cls = 0;
            for (let c = 0; c < 80; c++) {
              const v = o[base + 5 + c]!;
              if (v > best) {
                best = v;
                cls = c;
              }
            }
            const score = obj * best;
            if (score < minScore) continue;
            const cx = (o[base]! + gx) * s;
            const cy = (o[base + 1]! + gy) * s;
            const bw = Math.exp(o[base + 2]!) * s;
            const bh = Math.exp(o[base + 3]!) * s;
            candidates.push({ label: CLASSES[cls]!, classId: cls, score, box: frameBoxToNormalized(frame.geometry, { x1: cx - bw / 2, y1: cy - bh / 2, x2: cx + bw / 2, y2: cy + bh / 2 }) });
          }
        }
      }
      candidates.sort((a, b) => b.score - a.score);
      const kept: Detection[] = [];
      for (const d of candidates) if (!kept.some((k) => k.classId === d.classId && iou(k.box, d.box) > 0.45)) kept.push(d);
      return { cameraId: frame.cameraId, sequence: frame.sequence, captureTime: frame.captureTime, width: frame.geometry.sourceWidth, height: frame.geometry.sourceHeight, model: { id: model.id, sha256: model.sha256 }, detections: kept };
    },
  };
}
