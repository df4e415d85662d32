import type { H264Track } from './h264-track.js';
import { runFfmpeg } from './ffmpeg-process.js';
import { joinAnnexB } from './h264-nal.js';

export interface SnapshotOptions {
  /** Wait at most this long for a key frame. @defaultValue 5000 */
  timeoutMs?: number;
  /** JPEG quality, ffmpeg's -q:v scale (2 best .. 31 worst). @defaultValue 4 */
  quality?: number;
  ffmpegPath?: string;
  label: string;
}

/**
 * A JPEG of the current picture of an H.264 track: the frames since the last key frame are decoded by ffmpeg and
 * the newest one is encoded. Costs one short ffmpeg run per call (callers cache or rate-limit).
 */
export async function snapshotJpeg(track: H264Track, options: SnapshotOptions): Promise<Buffer> {
  const { parameterSets, frames } = await track.currentPicture(options.timeoutMs ?? 5000);
  const annexB = joinAnnexB([...parameterSets, ...frames.flatMap((f) => f.nals)]);
  const last = frames.length - 1;
  return runFfmpeg(
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'h264',
      '-i',
      'pipe:0',
      '-vf',
      `select=gte(n\\,${last})`,
      '-frames:v',
      '1',
      '-q:v',
      String(options.quality ?? 4),
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      'pipe:1',
    ],
    { input: annexB, label: options.label, command: options.ffmpegPath, timeoutMs: 15_000 },
  );
}
