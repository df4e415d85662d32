import type { Candidate } from './nms.js';

/**
 * Decodes the Ultralytics YOLOv8/YOLO11 detection output, `[batch, 4 + classes, anchors]` (channels first: cx, cy,
 * w, h in model-input pixels, then one sigmoid score per class, no objectness). Returns the anchors of image
 * `batchIndex` whose best class scores at least `scoreThreshold`, as boxes in model-input pixels.
 */
export function decodeUltralytics(data: Float32Array, dims: readonly number[], batchIndex: number, scoreThreshold: number): Candidate[] {
  const channels = dims[1]!;
  const anchors = dims[2]!;
  if (dims.length !== 3 || channels < 5) {
    throw new RangeError(`Ultralytics output shape [${dims.join(', ')}] is not [batch, 4 + classes, anchors]`);
  }
  const base = batchIndex * channels * anchors;
  const out: Candidate[] = [];
  for (let a = 0; a < anchors; a++) {
    let best = -Infinity;
    let classId = 0;
    for (let c = 4; c < channels; c++) {
      const v = data[base + c * anchors + a]!;
      if (v > best) {
        best = v;
        classId = c - 4;
      }
    }
    if (best < scoreThreshold) continue;
    const cx = data[base + a]!;
    const cy = data[base + anchors + a]!;
    const w = data[base + 2 * anchors + a]!;
    const h = data[base + 3 * anchors + a]!;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: best, classId });
  }
  return out;
}
