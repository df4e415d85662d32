import type { Frame } from '../frames/index.js';
import type { Point } from '../geometry/index.js';
import type { NormalizedBox } from '../sdk/index.js';

/** A picture in packed 24-bit pixels, in the frame's byte order (bgr24 or rgb24). */
export interface Picture {
  width: number;
  height: number;
  pixelFormat: 'bgr24' | 'rgb24';
  data: Buffer;
}

type Rgb = readonly [number, number, number];
export const COLOURS = { object: [255, 64, 32] as Rgb, zone: [255, 220, 0] as Rgb, line: [0, 200, 255] as Rgb };

/**
 * The camera picture part of a letterboxed frame, copied (the frame's buffer may be reused once the caller
 * returns): the pad the letterbox added (right or bottom) is cropped away.
 */
export function cropLetterbox(frame: Frame): Picture {
  const g = frame.geometry;
  const width = Math.min(g.width - g.padX, Math.round(g.sourceWidth * g.scale)) & ~1;
  const height = Math.min(g.height - g.padY, Math.round(g.sourceHeight * g.scale)) & ~1;
  const data = Buffer.allocUnsafe(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((y + g.padY) * g.width + g.padX) * 3;
    frame.data.copy(data, y * width * 3, from, from + width * 3);
  }
  return { width, height, pixelFormat: g.pixelFormat, data };
}

function put(p: Picture, x: number, y: number, c: Rgb): void {
  if (x < 0 || y < 0 || x >= p.width || y >= p.height) return;
  const i = (y * p.width + x) * 3;
  if (p.pixelFormat === 'bgr24') {
    p.data[i] = c[2];
    p.data[i + 1] = c[1];
    p.data[i + 2] = c[0];
  } else {
    p.data[i] = c[0];
    p.data[i + 1] = c[1];
    p.data[i + 2] = c[2];
  }
}

/** A line 2 pixels thick between two normalised points (Bresenham). */
export function drawLine(p: Picture, a: Point, b: Point, c: Rgb): void {
  let x0 = Math.round(a[0] * (p.width - 1));
  let y0 = Math.round(a[1] * (p.height - 1));
  const x1 = Math.round(b[0] * (p.width - 1));
  const y1 = Math.round(b[1] * (p.height - 1));
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    put(p, x0, y0, c);
    put(p, x0 + 1, y0, c);
    put(p, x0, y0 + 1, c);
    if (x0 === x1 && y0 === y1) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}

export function drawBox(p: Picture, b: NormalizedBox, c: Rgb): void {
  drawLine(p, [b.x1, b.y1], [b.x2, b.y1], c);
  drawLine(p, [b.x2, b.y1], [b.x2, b.y2], c);
  drawLine(p, [b.x2, b.y2], [b.x1, b.y2], c);
  drawLine(p, [b.x1, b.y2], [b.x1, b.y1], c);
}

export function drawPolygon(p: Picture, polygon: readonly Point[], c: Rgb): void {
  polygon.forEach((a, i) => drawLine(p, a, polygon[(i + 1) % polygon.length]!, c));
}
