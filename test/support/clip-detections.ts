/**
 * A direct path from a video file to frames, for end-to-end tests of the analytics stage without the pipeline:
 * ffmpeg decodes the clip at a chosen rate, letterboxed into the model input (bgr24, pad 114 right/bottom, as
 * ingest does), with capture times spaced by the rate.
 */
import { spawn } from 'node:child_process';
import { letterbox, type Frame } from '../../src/frames/index.js';

/** Decoded frames of a video file, letterboxed into `input`, at `fps`. */
export async function* clipFrames(file: string, fps: number, source: { width: number; height: number }, input = { width: 416, height: 416 }): AsyncGenerator<Frame> {
  const g = letterbox(source, input);
  const vf = `fps=${fps},scale=${g.scaledWidth}:${g.scaledHeight},pad=${input.width}:${input.height}:0:0:color=0x727272`;
  const child = spawn('ffmpeg', ['-v', 'error', '-i', file, '-vf', vf, '-pix_fmt', 'bgr24', '-f', 'rawvideo', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const size = input.width * input.height * 3;
  let pending = Buffer.alloc(0);
  let sequence = 0;
  const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      const data = Buffer.from(pending.subarray(0, size));
      pending = pending.subarray(size);
      yield { cameraId: 'clip', sequence, captureTime: t0 + Math.round((sequence * 1000) / fps), geometry: g, data };
      sequence++;
    }
  }
}
