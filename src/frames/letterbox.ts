import type { FrameGeometry } from './frame.js';

/**
 * The letterbox that fits a `sourceWidth` x `sourceHeight` picture into a `width` x `height` model input without
 * distortion, anchored top-left (YOLOX's convention; the pad fills the right or bottom). The scaled picture size
 * is rounded down to even pixels so ffmpeg's scaler produces exactly these sizes.
 */
export function letterbox(
  source: { width: number; height: number },
  input: { width: number; height: number },
  pixelFormat: FrameGeometry['pixelFormat'] = 'bgr24',
): FrameGeometry & { scaledWidth: number; scaledHeight: number } {
  const scale = Math.min(input.width / source.width, input.height / source.height);
  const even = (v: number) => Math.max(2, Math.floor(v / 2) * 2);
  const scaledWidth = Math.min(input.width, even(source.width * scale));
  const scaledHeight = Math.min(input.height, even(source.height * scale));
  return { width: input.width, height: input.height, sourceWidth: source.width, sourceHeight: source.height, scale, padX: 0, padY: 0, pixelFormat, scaledWidth, scaledHeight };
}

/** A box in frame pixels to the camera picture's normalised coordinates (0..1, y down), clamped to the picture. */
export function frameBoxToNormalized(
  geometry: FrameGeometry,
  box: { x1: number; y1: number; x2: number; y2: number },
): { x1: number; y1: number; x2: number; y2: number } {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const nx = (x: number) => clamp((x - geometry.padX) / geometry.scale / geometry.sourceWidth);
  const ny = (y: number) => clamp((y - geometry.padY) / geometry.scale / geometry.sourceHeight);
  return { x1: nx(box.x1), y1: ny(box.y1), x2: nx(box.x2), y2: ny(box.y2) };
}
