/**
 * How a frame's pixels relate to the camera picture: the frame is the model input (e.g. 416x416), the camera
 * picture (`sourceWidth` x `sourceHeight`) scaled by `scale` and placed at (`padX`, `padY`) on a background of
 * the model's pad value (letterboxing). A box in frame pixels maps back to the picture as
 * `(x - padX) / scale / sourceWidth`.
 */
export interface FrameGeometry {
  /** Frame size in pixels (the model input). */
  width: number;
  height: number;
  /** Size of the camera picture the frame was made from, in pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** Picture pixels to frame pixels. */
  scale: number;
  /** Where the scaled picture starts in the frame, in frame pixels. */
  padX: number;
  padY: number;
  /** Packed 8-bit pixel layout, 3 bytes per pixel, row after row. */
  pixelFormat: 'bgr24' | 'rgb24';
}

/** One decoded, letterboxed frame of one camera: what ingest produces and inference consumes. */
export interface Frame {
  cameraId: string;
  /** Per camera, increasing by one for every decoded frame (skipped and dropped frames leave gaps downstream). */
  sequence: number;
  /** When the frame left the decoder (capture time as Vigie sees it), epoch milliseconds. */
  captureTime: number;
  geometry: FrameGeometry;
  /** width x height x 3 bytes. May be a view into a reused buffer: copy it to keep it beyond the call. */
  data: Buffer;
  /**
   * Takes `data` for good, when the producer offers it (ingest does): the producer will not write into that buffer
   * again, so the consumer keeps the pixels without copying them. Valid only during the call that hands the frame
   * over; afterwards it throws.
   */
  take?: () => Buffer;
}

/** Where a frame producer gets a new frame buffer of `bytes` bytes (a consumer's pool, or fresh memory). */
export type FrameBufferSource = (bytes: number) => Buffer;

/** Bytes of a frame's pixels: width x height x 3. */
export function frameByteLength(geometry: Pick<FrameGeometry, 'width' | 'height'>): number {
  return geometry.width * geometry.height * 3;
}
