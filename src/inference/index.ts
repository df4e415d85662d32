// TEMPORARY SHIM (pipeline branch): the contract of src/inference (notes/contracts.md §1) until the inference
// branch is merged; replaced by the real module at the merge.
import type { VigieConfig } from '../config/index.js';
import type { Frame } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import type { FrameDetections } from '../sdk/index.js';

export interface DetectorOptions {
  inference: VigieConfig['inference'];
  models: VigieConfig['models'];
  logger: Logger;
  metrics?: Registry;
}
export interface Detector {
  readonly model: { id: string; sha256: string; classes: readonly string[]; input: { width: number; height: number; pixelFormat: 'bgr24' | 'rgb24' } };
  detect(frame: Frame): Promise<FrameDetections>;
  readonly workerCount: number;
  close(): Promise<void>;
}
export function openDetector(options: DetectorOptions): Promise<Detector> {
  return Promise.reject(new Error(`inference not merged yet (${options.inference.model})`));
}
