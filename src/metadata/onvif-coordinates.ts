import { toOnvifPoint } from '../geometry/index.js';
import type { NormalizedBox } from '../sdk/index.js';

/** A box in ONVIF's normalised frame coordinates: x and y in -1..1, x to the right, y **up** (top > bottom). */
export interface OnvifBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const clamp = (v: number) => Math.min(1, Math.max(-1, v));

/** x' = 2x - 1 (0..1 left to right becomes -1..1). */
export function onvifX(x: number): number {
  return clamp(toOnvifPoint([x, 0])[0]);
}

/** y' = 1 - 2y (0..1 top to bottom becomes 1..-1: y points up). */
export function onvifY(y: number): number {
  return clamp(toOnvifPoint([0, y])[1]);
}

/** A Vigie box (0..1, y down, any corner order) in ONVIF coordinates, with its centre of gravity. */
export function toOnvifBox(box: NormalizedBox): OnvifBox & { center: { x: number; y: number } } {
  const left = onvifX(Math.min(box.x1, box.x2));
  const right = onvifX(Math.max(box.x1, box.x2));
  const top = onvifY(Math.min(box.y1, box.y2));
  const bottom = onvifY(Math.max(box.y1, box.y2));
  return { left, top, right, bottom, center: { x: (left + right) / 2, y: (top + bottom) / 2 } };
}

/** The inverse: an ONVIF box back to 0..1 with y down (for readers and tests). */
export function fromOnvifBox(box: OnvifBox): NormalizedBox {
  return { x1: (box.left + 1) / 2, y1: (1 - box.top) / 2, x2: (box.right + 1) / 2, y2: (1 - box.bottom) / 2 };
}
