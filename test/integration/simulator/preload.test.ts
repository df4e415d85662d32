import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { startSimulator } from '../../../src/simulator/index.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { decodeFrames } from '../../support/processes.js';

function withCredentials(url: string): string {
  const u = new URL(url);
  u.username = 'admin';
  u.password = 'admin';
  return u.href;
}

/** This process's children that are ffmpeg reading a video source in a loop (one per camera and stream when streaming from disk). */
async function loopingFfmpegChildren(): Promise<number> {
  let count = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (cmdline.includes('-stream_loop')) count += 1;
    } catch (error) {
      // The process ended between the listing and the read: not a child any more.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  return count;
}

/** Decodes `frames` frames from every camera's sub stream at once, and counts the looping ffmpeg sources meanwhile. */
async function playAll(urls: string[], frames: number): Promise<{ decoded: number[]; sources: number }> {
  let sources = 0;
  const plays = Promise.all(urls.map((u) => decodeFrames(u, frames, { timeoutMs: 60_000 })));
  const sampler = setInterval(() => {
    void loopingFfmpegChildren().then((n) => (sources = Math.max(sources, n)));
  }, 200);
  try {
    const results = await plays;
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    return { decoded: results.map((r) => r.frames), sources };
  } finally {
    clearInterval(sampler);
  }
}

describe('simulated cameras play their video from memory', () => {
  it('three cameras stream one clip read once, without an ffmpeg per camera; above the preload limit each streams through its own ffmpeg', async () => {
    const inMemory = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 3, httpPort: 0, rtspPort: 0, discovery: false });
    try {
      const played = await playAll(inMemory.cameras.map((c) => withCredentials(c.rtsp.sub)), 20);
      assert.deepEqual(played.decoded, [20, 20, 20]);
      assert.equal(played.sources, 0, 'no ffmpeg process reads the file while the cameras stream');
    } finally {
      await inMemory.stop();
    }

    const fromDisk = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 2, httpPort: 0, rtspPort: 0, discovery: false, preloadMaxMB: 0 });
    try {
      const played = await playAll(fromDisk.cameras.map((c) => withCredentials(c.rtsp.sub)), 20);
      assert.deepEqual(played.decoded, [20, 20]);
      assert.equal(played.sources, 2, 'one ffmpeg per camera stream');
    } finally {
      await fromDisk.stop();
    }
  });
});
