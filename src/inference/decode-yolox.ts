import type { Candidate } from './nms.js';

export interface YoloxLayout {
  /** Model input size in pixels. */
  width: number;
  height: number;
  /** Strides of the detection heads, in row order (YOLOX: 8, 16, 32). */
  strides: readonly number[];
}

/** Grid cell (gx, gy) and stride of every output row, in the order YOLOX emits them (stride by stride, row-major). */
export function yoloxGrid(layout: YoloxLayout): { gx: Int32Array; gy: Int32Array; stride: Int32Array } {
  let rows = 0;
  for (const s of layout.strides) rows += Math.floor(layout.width / s) * Math.floor(layout.height / s);
  const gx = new Int32Array(rows);
  const gy = new Int32Array(rows);
  const stride = new Int32Array(rows);
  let r = 0;
  for (const s of layout.strides) {
    const w = Math.floor(layout.width / s);
    const h = Math.floor(layout.height / s);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, r++) {
        gx[r] = x;
        gy[r] = y;
        stride[r] = s;
      }
    }
  }
  return { gx, gy, stride };
}

/**
 * Decodes the raw output of a YOLOX head, `[batch, rows, 5 + classes]` per row (cx, cy, w, h in grid units,
 * objectness, class scores): cx = (o0 + gx) * s, w = exp(o2) * s, score = objectness x best class score. Returns the
 * rows of image `batchIndex` scoring at least `scoreThreshold`, as boxes in model-input pixels.
 */
export function decodeYolox(
  data: Float32Array,
  dims: readonly number[],
  batchIndex: number,
  grid: ReturnType<typeof yoloxGrid>,
  scoreThreshold: number,
): Candidate[] {
  const rows = dims[1]!;
  const width = dims[2]!;
  if (dims.length !== 3 || rows !== grid.gx.length || width < 6) {
    throw new RangeError(`YOLOX output shape [${dims.join(', ')}] does not match the manifest's strides (${grid.gx.length} rows of 5 + classes values expected)`);
  }
  const out: Candidate[] = [];
  const base = batchIndex * rows * width;
  for (let r = 0; r < rows; r++) {
    const o = base + r * width;
    const objectness = data[o + 4]!;
    if (objectness < scoreThreshold) continue;
    let best = 0;
    let classId = 0;
    for (let c = 5; c < width; c++) {
      const v = data[o + c]!;
      if (v > best) {
        best = v;
        classId = c - 5;
      }
    }
    const score = objectness * best;
    if (score < scoreThreshold) continue;
    const s = grid.stride[r]!;
    const cx = (data[o]! + grid.gx[r]!) * s;
    const cy = (data[o + 1]! + grid.gy[r]!) * s;
    const w = Math.exp(data[o + 2]!) * s;
    const h = Math.exp(data[o + 3]!) * s;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classId });
  }
  return out;
}
