import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VideoFileError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { probeVideo } from '../../../src/simulator/index.js';
import { ensureSubStream, subStreamSize } from '../../../src/simulator/sub-stream.js';
import { run } from '../../support/processes.js';
import { tempDir } from '../../support/temp.js';

describe('sub stream', () => {
  it('is transcoded once to half size (at most), 5 fps, Baseline, key frame every second, then reused from the cache', async (t) => {
    const dir = await tempDir(t);
    const clip = join(dir, 'clip.mp4');
    const made = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=3:size=320x240:rate=15', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-profile:v', 'high', clip]);
    assert.equal(made.code, 0, made.stderr);
    const main = await probeVideo(clip);
    assert.deepEqual([main.width, main.height, main.fps, main.h264Profile], [320, 240, 15, 'High']);

    const cache = join(dir, 'cache');
    const sub = await ensureSubStream(main, { fps: 5, maxWidth: 640 }, cache, silentLogger());
    assert.deepEqual([sub.width, sub.height, sub.fps, sub.h264Profile, sub.codec], [160, 120, 5, 'Baseline', 'h264']);
    assert.equal(sub.govLength, 5, 'one key frame per second');
    const first = await stat(sub.path);
    const again = await ensureSubStream(main, { fps: 5, maxWidth: 640 }, cache, silentLogger());
    assert.equal(again.path, sub.path);
    assert.equal((await stat(again.path)).mtimeMs, first.mtimeMs, 'not transcoded again');
  });

  it('keeps the aspect ratio with even sizes, capped at the maximum width', () => {
    const info = { path: '', codec: 'h264', fps: 25, bitrateKbps: 4000, h264Profile: 'Main' as const, govLength: 50 };
    assert.deepEqual(subStreamSize({ ...info, width: 1920, height: 1080 }, 640), { width: 640, height: 360 });
    assert.deepEqual(subStreamSize({ ...info, width: 768, height: 576 }, 640), { width: 384, height: 288 });
    assert.deepEqual(subStreamSize({ ...info, width: 702, height: 574 }, 640), { width: 350, height: 286 });
  });

  it('refuses a file that is not H.264 video with the cause and the fix', async (t) => {
    const dir = await tempDir(t);
    const mjpeg = join(dir, 'clip.avi');
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x48:rate=5', '-c:v', 'mjpeg', mjpeg]);
    await assert.rejects(probeVideo(mjpeg), (e: unknown) => e instanceof VideoFileError && /its video is mjpeg, not H\.264/.test(e.message) && /ffmpeg -i IN -c:v libx264/.test(e.describe()));
  });
});
