import type { FrameGeometry } from '../frames/index.js';
import type { Detection } from '../sdk/index.js';
import type { ModelSpec } from './model.js';

/** onnxruntime execution providers Vigie knows, in the config's spelling. */
export type ProviderName = 'cuda' | 'tensorrt' | 'cpu';

/** What a detector worker thread starts with. */
export interface DetectorWorkerData {
  spec: ModelSpec;
  /** The verified model file's bytes (copied into the thread). */
  model: Uint8Array;
  providers: readonly ProviderName[];
  threads: number;
}

/** A provider that could not load, and why. */
export interface ProviderFallback {
  provider: ProviderName;
  reason: string;
}

/** Main thread → worker: analyse these frames in one run (one frame unless the model has a dynamic batch axis). */
export interface RunRequest {
  type: 'run';
  id: number;
  /**
   * The pixels: a transferred ArrayBuffer holding exactly the frame, or shared memory read in place at `byteOffset`
   * (`byteLength` bytes) and left untouched.
   */
  frames: Array<{ data: ArrayBuffer | SharedArrayBuffer; byteOffset: number; byteLength: number; geometry: FrameGeometry }>;
}

export type WorkerReply =
  | { type: 'ready'; provider: ProviderName; fallbacks: ProviderFallback[]; dynamicBatch: boolean; /** Kernel thread id, where /proc tells. */ threadId?: number }
  | { type: 'failed'; kind: 'model' | 'provider'; reason: string; fallbacks: ProviderFallback[] }
  | { type: 'result'; id: number; detections: Detection[][]; runMs: number; workMs: number }
  | { type: 'error'; id: number; message: string };
