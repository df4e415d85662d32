import { stat } from 'node:fs/promises';
import { VideoSourceError } from '../errors/index.js';
import { AccessUnitAssembler } from './access-unit-assembler.js';
import { runFfmpeg } from './ffmpeg-process.js';
import { TsDemuxer } from './mpegts-demuxer.js';

/** One frame of a clip held in memory. */
export interface ClipFrame {
  /** NAL units without start codes, shared by every player of the clip: read, never written. */
  readonly nals: readonly Buffer[];
  readonly keyframe: boolean;
  /** When the frame is sent, 90 kHz ticks from the clip's first frame (its decoding time). */
  readonly sendAt: number;
  /** Its presentation time, 90 kHz ticks from the clip's first decoding time (differs from sendAt with B-frames). */
  readonly pts: number;
}

/** An H.264 file read once into memory, frame by frame in decoding order, for players that loop it. */
export interface H264Clip {
  readonly path: string;
  readonly frames: readonly ClipFrame[];
  /** One pass of the clip, 90 kHz ticks: the last frame's time plus one frame interval. */
  readonly loopTicks: number;
  /** Bytes of H.264 held. */
  readonly bytes: number;
}

export interface ReadH264ClipOptions {
  ffmpegPath?: string;
  /** Refuse a file larger than this. @defaultValue 256 MiB */
  maxBytes?: number;
  /** @defaultValue 120 000 */
  timeoutMs?: number;
}

/** The usual step between two frames (the median), 90 kHz ticks; 25 fps when the clip has a single frame. */
function typicalStep(frames: readonly { sendAt: number }[]): number {
  const steps: number[] = [];
  for (let i = 1; i < frames.length; i += 1) {
    const step = frames[i]!.sendAt - frames[i - 1]!.sendAt;
    if (step > 0) steps.push(step);
  }
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? 90_000 / 25;
}

/**
 * Reads the H.264 video of a file into memory: ffmpeg copies it (no decoding, no re-encoding) into MPEG-TS on its
 * stdout, which keeps each frame's decoding and presentation times and puts the parameter sets before every key
 * frame, as a camera sends them. One ffmpeg run, as fast as the disk allows, then no process at all while the
 * clip plays.
 */
export async function readH264Clip(path: string, options: ReadH264ClipOptions = {}): Promise<H264Clip> {
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const size = (await stat(path).catch((error: unknown) => {
    throw new VideoSourceError(path, 'the file does not exist or is not readable', { cause: error });
  })).size;
  if (size > maxBytes) {
    throw new VideoSourceError(path, `the file holds ${Math.round(size / 2 ** 20)} MiB, more than the ${Math.round(maxBytes / 2 ** 20)} MiB a clip may keep in memory`, {
      hint: 'stream it from disk instead (the simulator does so by itself above its preload limit), or use a shorter clip',
    });
  }
  const ts = await runFfmpeg(['-hide_banner', '-loglevel', 'error', '-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'mpegts', 'pipe:1'], {
    label: path,
    timeoutMs: options.timeoutMs ?? 120_000,
    // MPEG-TS adds a few per cent to the elementary stream; the container it comes from may be smaller still.
    maxOutputBytes: Math.ceil(size * 1.5) + 16 * 1024 * 1024,
    ...(options.ffmpegPath ? { command: options.ffmpegPath } : {}),
  });
  const assembler = new AccessUnitAssembler();
  const timed: { nals: Buffer[]; keyframe: boolean; pts: number; dts: number }[] = [];
  const demuxer = new TsDemuxer((pes) => {
    const unit = assembler.fromPes(pes.pts ?? pes.dts, pes.data);
    if (!unit) return;
    // The decoding time on the presentation time's unwrapped count: the two differ by a few frames at most.
    const lead = pes.pts !== undefined && pes.dts !== undefined ? pes.pts - pes.dts : 0;
    timed.push({ nals: unit.nals, keyframe: unit.keyframe, pts: unit.pts, dts: unit.pts - lead });
  });
  demuxer.push(ts);
  demuxer.flush();
  if (timed.length === 0) throw new VideoSourceError(path, 'ffmpeg found no H.264 frames in it');
  const first = timed[0]!.dts;
  let bytes = 0;
  let lastSendAt = 0;
  const frames: ClipFrame[] = timed.map((t) => {
    for (const n of t.nals) bytes += n.length;
    // Decoding times never go back; a damaged one is held at the previous frame's.
    lastSendAt = Math.max(lastSendAt, t.dts - first);
    return { nals: t.nals, keyframe: t.keyframe, sendAt: lastSendAt, pts: t.pts - first };
  });
  return { path, frames, loopTicks: lastSendAt + typicalStep(frames), bytes };
}

/**
 * A clip read once on first use and shared by every caller; a failed read is forgotten so the next call tries
 * again (the file may have been fixed).
 */
export function sharedClip(path: string, options: ReadH264ClipOptions = {}): () => Promise<H264Clip> {
  let pending: Promise<H264Clip> | undefined;
  return () => {
    pending ??= readH264Clip(path, options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
