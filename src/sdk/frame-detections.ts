import type { Detection } from './detection.js';

/** The detections of one analysed frame: what inference hands to tracking. */
export interface FrameDetections {
  cameraId: string;
  /** Frame sequence number per camera, increasing; gaps mean frames were skipped or dropped. */
  sequence: number;
  /** When the frame was captured (decoded from the camera stream), epoch milliseconds. */
  captureTime: number;
  /** Size of the analysed frame before letterboxing, in pixels (box coordinates are normalised to it). */
  width: number;
  height: number;
  /** The model that produced the detections, for provenance. */
  model: { id: string; sha256: string };
  detections: Detection[];
}
