import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { configSchema } from '../../../src/config/index.js';
import { letterbox } from '../../../src/frames/index.js';
import { ingestFfmpegArgs } from '../../../src/ingest/index.js';

const INPUT = { width: 416, height: 416, pixelFormat: 'bgr24' as const };

/** One frame of a white `width` x `height` picture through ingest's own ffmpeg arguments (input swapped for lavfi). */
function oneFrame(width: number, height: number, input: { width: number; height: number; pixelFormat: 'bgr24' | 'rgb24' } = INPUT): Promise<Buffer> {
  const args = ingestFfmpegArgs('INPUT', configSchema.parse({}).ingest, input);
  const i = args.indexOf('-i');
  args.splice(i, 2, '-f', 'lavfi', '-i', `color=c=white:size=${width}x${height}:rate=5:duration=0.4`);
  args.splice(args.indexOf('pipe:1'), 0, '-frames:v', '1');
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg ${code}: ${err.slice(-500)}`))));
  });
}

describe("ingest's ffmpeg letterbox equals letterbox() of src/frames", { concurrency: true }, () => {
  for (const [w, h] of [[768, 576], [384, 288], [1920, 1080], [1280, 720], [640, 360], [704, 576], [352, 240], [1000, 1000], [2592, 1944], [334, 778]] as const) {
    it(`${w}x${h}: scaled size, top-left anchor and pad grey 114`, async () => {
      const frame = await oneFrame(w, h);
      assert.equal(frame.length, 416 * 416 * 3);
      const g = letterbox({ width: w, height: h }, INPUT);
      const px = (x: number, y: number) => [...frame.subarray((y * 416 + x) * 3, (y * 416 + x) * 3 + 3)];
      let scaledWidth = 0;
      while (scaledWidth < 416 && px(scaledWidth, 0)[0] !== 114) scaledWidth += 1;
      let scaledHeight = 0;
      while (scaledHeight < 416 && px(0, scaledHeight)[0] !== 114) scaledHeight += 1;
      assert.deepEqual({ scaledWidth, scaledHeight }, { scaledWidth: g.scaledWidth, scaledHeight: g.scaledHeight });
      assert.ok(px(0, 0).every((v) => v > 240), 'the picture starts at the top-left corner');
      if (g.scaledWidth < 416) assert.deepEqual(px(415, 0), [114, 114, 114], 'padded on the right with grey 114');
      if (g.scaledHeight < 416) assert.deepEqual(px(0, 415), [114, 114, 114], 'padded at the bottom with grey 114');
    });
  }

  it('a model input of odd size (scaled and converted in one pass, then padded in RGB): same geometry, same grey', async () => {
    const odd = { width: 417, height: 313, pixelFormat: 'rgb24' as const };
    const frame = await oneFrame(640, 360, odd);
    assert.equal(frame.length, 417 * 313 * 3);
    const g = letterbox({ width: 640, height: 360 }, odd);
    const px = (x: number, y: number) => [...frame.subarray((y * 417 + x) * 3, (y * 417 + x) * 3 + 3)];
    assert.ok(px(0, 0).every((v) => v > 240));
    assert.ok(px(g.scaledWidth - 1, g.scaledHeight - 1).every((v) => v > 240), 'the last picture pixel');
    assert.deepEqual(px(416, 312), [114, 114, 114], 'padded with grey 114');
    assert.ok(g.scaledHeight < 313, 'the case pads at the bottom');
    assert.deepEqual(px(0, g.scaledHeight), [114, 114, 114]);
  });
});
