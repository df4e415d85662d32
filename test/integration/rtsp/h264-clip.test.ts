import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { VideoSourceError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { ClipH264Source, NAL, nalType, readH264Clip, sharedClip, type AccessUnit, type H264Clip } from '../../../src/rtsp/index.js';
import { run } from '../../support/processes.js';
import { tempDir } from '../../support/temp.js';

/** An H.264 clip made here: `seconds` of a test pattern at 10 fps, High profile with B-frames, a key frame every `gop`. */
async function makeClip(t: TestContext, seconds: number, gop: number): Promise<string> {
  const dir = await tempDir(t);
  const path = join(dir, 'clip.mp4');
  const made = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=160x120:rate=10`, '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-bf', '2', '-g', String(gop), '-pix_fmt', 'yuv420p', path]);
  assert.equal(made.code, 0, made.stderr);
  return path;
}

/** The access units a source emits until `count` have come (or `timeoutMs` passed), with their arrival times. */
function collect(source: ClipH264Source, count: number, timeoutMs = 10_000): Promise<{ unit: AccessUnit; at: number }[]> {
  return new Promise((resolve, reject) => {
    const got: { unit: AccessUnit; at: number }[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} frames in ${timeoutMs} ms`)), timeoutMs);
    const onUnit = (unit: AccessUnit) => {
      got.push({ unit, at: performance.now() });
      if (got.length < count) return;
      source.off('accessUnit', onUnit);
      clearTimeout(timer);
      resolve(got);
    };
    source.on('accessUnit', onUnit);
  });
}

describe('H.264 clips held in memory', () => {
  it('reads every frame once, in decoding order, key frames with their parameter sets, B-frames presented later than sent', async (t) => {
    const clip = await readH264Clip(await makeClip(t, 2, 10));
    assert.equal(clip.frames.length, 20);
    assert.equal(clip.loopTicks, 2 * 90_000, 'two seconds of 90 kHz ticks');
    assert.deepEqual(
      clip.frames.map((f) => f.sendAt),
      clip.frames.map((_f, i) => i * 9000),
      'one frame every 9000 ticks (10 fps)',
    );
    assert.deepEqual(
      clip.frames.flatMap((f, i) => (f.keyframe ? [i] : [])),
      [0, 10],
    );
    const first = clip.frames[0]!.nals.map((n) => nalType(n));
    assert.ok(first.includes(NAL.SPS) && first.includes(NAL.PPS) && first.includes(NAL.IDR), `first frame NAL types ${first.join(',')}`);
    assert.ok(
      clip.frames.some((f) => f.pts !== f.sendAt + (clip.frames[0]!.pts - clip.frames[0]!.sendAt)),
      'with B-frames some frames are presented out of their sending order',
    );
    assert.ok(clip.bytes > 1000);
  });

  it('plays at the clip frame rate, in a loop, presentation times rising by one clip length each loop', async (t) => {
    const clip = await readH264Clip(await makeClip(t, 0.5, 5));
    const source = new ClipH264Source({ clip: () => Promise.resolve(clip), logger: silentLogger() });
    let started = 0;
    source.on('started', () => (started += 1));
    const frames = collect(source, 12);
    source.start();
    const got = await frames;
    await source.stop();
    assert.equal(started, 1);
    const units = got.map((g) => g.unit);
    assert.deepEqual(
      units.map((u) => u.keyframe),
      [true, false, false, false, false, true, false, false, false, false, true, false],
    );
    for (let i = 0; i + 5 < units.length; i += 1) assert.equal(units[i + 5]!.pts, units[i]!.pts + clip.loopTicks, `frame ${i + 5} is frame ${i} one loop later`);
    // 11 frame intervals of 100 ms: real time, not as fast as it can (a little timer slack allowed).
    const elapsed = got.at(-1)!.at - got[0]!.at;
    assert.ok(elapsed >= 1050 && elapsed < 3000, `12 frames took ${elapsed.toFixed(0)} ms`);

    let after = 0;
    source.on('accessUnit', () => (after += 1));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(after, 0, 'nothing after stop');
  });

  it('is read once for every camera that plays it: they share the frames', async (t) => {
    const load = sharedClip(await makeClip(t, 0.5, 5));
    const a = new ClipH264Source({ clip: load, logger: silentLogger() });
    const b = new ClipH264Source({ clip: load, logger: silentLogger() });
    const fromA = collect(a, 1);
    const fromB = collect(b, 1);
    a.start();
    b.start();
    const [[ua], [ub]] = await Promise.all([fromA, fromB]);
    await Promise.all([a.stop(), b.stop()]);
    assert.equal(ua!.unit.nals[0], ub!.unit.nals[0], 'the same buffer, not a copy');
    assert.equal(await load(), await load());
  });

  it('refuses a missing file, a file too large for memory and a file without video, naming the cause', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(readH264Clip(join(dir, 'none.mp4')), (e: unknown) => e instanceof VideoSourceError && /does not exist or is not readable/.test(e.message));
    const big = await makeClip(t, 1, 10);
    await assert.rejects(
      readH264Clip(big, { maxBytes: 100 }),
      (e: unknown) => e instanceof VideoSourceError && /more than the 0 MiB a clip may keep in memory/.test(e.message) && /stream it from disk/.test(e.describe()),
    );
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'not a video\n');
    await assert.rejects(readH264Clip(text), (e: unknown) => e instanceof VideoSourceError);
  });

  it('a clip that fails to load is reported, then tried again until it loads', async (t) => {
    const path = await makeClip(t, 0.5, 5);
    let calls = 0;
    const load = (): Promise<H264Clip> => {
      calls += 1;
      return calls === 1 ? Promise.reject(new VideoSourceError(path, 'disk unplugged')) : readH264Clip(path);
    };
    const source = new ClipH264Source({ clip: load, logger: silentLogger(), retryDelayMs: 50 });
    const failures: Error[] = [];
    source.on('failed', (e) => failures.push(e));
    const frames = collect(source, 2);
    source.start();
    await frames;
    await source.stop();
    assert.equal(calls, 2);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /disk unplugged/);
  });
});
