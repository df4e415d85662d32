import { frameBoxToNormalized, type FrameGeometry } from '../frames/index.js';
import type { Detection } from '../sdk/index.js';
import { decodeUltralytics } from './decode-ultralytics.js';
import { decodeYolox, yoloxGrid } from './decode-yolox.js';
import type { ModelSpec } from './model.js';
import { nmsPerClass, type Candidate } from './nms.js';

/** Most detections kept per frame after suppression. */
export const MAX_DETECTIONS = 300;

/** Turns the model's output for one image of a batch into detections normalised to the camera picture. */
export type Postprocessor = (data: Float32Array, dims: readonly number[], batchIndex: number, geometry: FrameGeometry) => Detection[];

export function createPostprocessor(spec: Pick<ModelSpec, 'input' | 'output' | 'classes' | 'scoreThreshold' | 'nmsIou'>): Postprocessor {
  const classes = spec.classes.length;
  let decode: (data: Float32Array, dims: readonly number[], batchIndex: number) => Candidate[];
  if (spec.output.decoder === 'yolox') {
    const grid = yoloxGrid({ width: spec.input.width, height: spec.input.height, strides: spec.output.strides ?? [8, 16, 32] });
    decode = (data, dims, batchIndex) => {
      if (dims[2] !== 5 + classes) throw new RangeError(`YOLOX output has ${Number(dims[2]) - 5} class scores per row, the manifest lists ${classes} classes`);
      return decodeYolox(data, dims, batchIndex, grid, spec.scoreThreshold);
    };
  } else {
    decode = (data, dims, batchIndex) => {
      if (dims[1] !== 4 + classes) throw new RangeError(`Ultralytics output has ${Number(dims[1]) - 4} class channels, the manifest lists ${classes} classes`);
      return decodeUltralytics(data, dims, batchIndex, spec.scoreThreshold);
    };
  }
  return (data, dims, batchIndex, geometry) => {
    const kept = nmsPerClass(decode(data, dims, batchIndex), spec.nmsIou, MAX_DETECTIONS);
    const detections: Detection[] = [];
    for (const c of kept) {
      const box = frameBoxToNormalized(geometry, c);
      if (box.x2 <= box.x1 || box.y2 <= box.y1) continue; // entirely in the letterbox padding
      detections.push({ label: spec.classes[c.classId] ?? `class ${c.classId}`, classId: c.classId, score: c.score, box });
    }
    return detections;
  };
}
