import type { Point } from './point.js';

/**
 * Vigie's normalised point (0..1, y down) in ONVIF's normalised frame coordinates (-1..1, y up):
 * x' = 2x − 1, y' = 1 − 2y. The one place this convention is written (rules drawn by ONVIF clients, metadata boxes).
 */
export function toOnvifPoint([x, y]: readonly [number, number]): [number, number] {
  return [2 * x - 1, 1 - 2 * y];
}

/** ONVIF point (-1..1, y up) → Vigie point (0..1, y down). */
export function fromOnvifPoint([x, y]: readonly [number, number]): Point {
  return [(x + 1) / 2, (1 - y) / 2];
}
