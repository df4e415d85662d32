import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../logging/index.js';
import { runFfmpeg } from '../rtsp/index.js';
import { probeVideo, type VideoInfo } from './video-file.js';

export interface SubStreamSettings {
  fps: number;
  maxWidth: number;
}

/** The sub stream's size: half the main stream at most, capped at `maxWidth`, even dimensions, same aspect ratio. */
export function subStreamSize(main: VideoInfo, maxWidth: number): { width: number; height: number } {
  const width = Math.max(2, Math.floor(Math.min(main.width / 2, maxWidth) / 2) * 2);
  const height = Math.max(2, Math.floor((main.height * width) / main.width / 2) * 2);
  return { width, height };
}

const inflight = new Map<string, Promise<VideoInfo>>();

/**
 * The sub stream file: the main file transcoded once to a lower resolution and frame rate (H.264 Baseline, no
 * B-frames, one key frame per second) and cached under `cacheDir`, keyed by the source file's path, size,
 * modification time and the settings. Later runs (and other cameras) reuse it; it is streamed with `-c copy`.
 */
export async function ensureSubStream(main: VideoInfo, settings: SubStreamSettings, cacheDir: string, logger: Logger): Promise<VideoInfo> {
  const info = await stat(main.path);
  const { width, height } = subStreamSize(main, settings.maxWidth);
  const key = createHash('sha256')
    .update(JSON.stringify({ path: resolve(main.path), size: info.size, mtime: info.mtimeMs, width, height, fps: settings.fps, v: 1 }))
    .digest('hex')
    .slice(0, 16);
  const target = join(cacheDir, `sub-${key}-${width}x${height}-${settings.fps}fps.mp4`);
  const existing = inflight.get(target);
  if (existing) return existing;
  const job = (async () => {
    try {
      return await probeVideo(target);
    } catch (error) {
      logger.debug({ cache: target, reason: error instanceof Error ? error.message : String(error) }, 'no usable cached sub stream: transcoding');
    }
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp.mp4`;
    const started = Date.now();
    logger.info({ source: main.path, width, height, fps: settings.fps, cache: target }, 'transcoding the sub stream once (cached for later runs)');
    try {
      await runFfmpeg(
        [
          '-hide_banner',
          '-loglevel',
          'error',
          '-y',
          '-i',
          main.path,
          '-map',
          '0:v:0',
          '-an',
          '-vf',
          `fps=${settings.fps},scale=${width}:${height}`,
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-profile:v',
          'baseline',
          '-pix_fmt',
          'yuv420p',
          '-bf',
          '0',
          '-g',
          String(Math.max(1, Math.round(settings.fps))),
          '-b:v',
          `${Math.max(64, Math.round(main.bitrateKbps / 4))}k`,
          '-movflags',
          '+faststart',
          temporary,
        ],
        { label: `sub stream of ${main.path}`, timeoutMs: 10 * 60_000 },
      );
      await rename(temporary, target);
    } finally {
      await rm(temporary, { force: true });
    }
    logger.info({ cache: target, seconds: Math.round((Date.now() - started) / 100) / 10 }, 'sub stream ready');
    return probeVideo(target);
  })();
  inflight.set(target, job);
  try {
    return await job;
  } finally {
    inflight.delete(target);
  }
}
