import type { FrameGeometry } from '../frames/index.js';
import type { FrameDetections } from '../sdk/index.js';

/**
 * What the queue carries for one frame: a reference to its pixels in the frame store, never the pixels (BullMQ
 * would store a Buffer as a list of numbers, ~5x its size). Everything inference needs besides the pixels.
 */
export interface FrameJob {
  /** Key of the pixels in the frame store; also the job id (unique per owner process). */
  ref: string;
  /** Node id of the process that owns the camera: results go back to it. */
  owner: string;
  cameraId: string;
  sequence: number;
  /** When the frame left the decoder, epoch ms. */
  captureTime: number;
  /** When it was queued, epoch ms. */
  queuedAt: number;
  geometry: FrameGeometry;
}

/** What a worker sends back to the owner of a frame. */
export type FrameResult =
  | {
      ref: string;
      cameraId: string;
      sequence: number;
      /** The worker that ran it (host:pid or "embedded"). */
      worker: string;
      outcome: 'detected';
      detections: FrameDetections;
      /** Time spent in the detector, ms. */
      inferenceMs: number;
    }
  | {
      ref: string;
      cameraId: string;
      sequence: number;
      worker: string;
      /** `expired`: the pixels were gone (TTL, Redis restarted); `failed`: the detector threw. */
      outcome: 'expired' | 'failed';
      message?: string;
    };
