import { EventEmitter } from 'node:events';
import { VideoSourceError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { H264Clip } from './h264-clip.js';
import type { H264Source, H264SourceEvents } from './h264-source.js';

export interface ClipH264SourceOptions {
  /** The clip, read on first use and usually shared by many sources (`sharedClip`). */
  clip: () => Promise<H264Clip>;
  logger: Logger;
  /** Delay before trying again after the clip failed to load, ms. @defaultValue 5000 */
  retryDelayMs?: number;
}

const TICKS_PER_MS = 90;
/** Behind by more than this (a blocked event loop), the player skips ahead instead of sending a burst. */
const MAX_LAG_MS = 1000;

/**
 * Plays an in-memory clip in a loop at its own frame rate, as a camera sends its stream: each frame at its decoding
 * time, presentation times rising across loops. Many cameras can play one clip: they share its frames, and each
 * costs a timer instead of an ffmpeg process and an MPEG-TS demuxer (measured with 12 simulated cameras streaming
 * their sub stream, RTP writes included: 0.11 of a core in all with ffmpeg readers, 0.04 with clip players).
 */
export class ClipH264Source extends EventEmitter<H264SourceEvents> implements H264Source {
  private wanted = false;
  private run = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ClipH264SourceOptions) {
    super();
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    void this.load(++this.run);
  }

  stop(): Promise<void> {
    this.wanted = false;
    this.run += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    return Promise.resolve();
  }

  private async load(run: number): Promise<void> {
    let clip: H264Clip;
    try {
      clip = await this.options.clip();
    } catch (error) {
      if (run !== this.run) return;
      const failure = error instanceof VideoSourceError ? error : new VideoSourceError('clip', 'could not be read', { cause: error });
      const delay = this.options.retryDelayMs ?? 5000;
      this.options.logger.error({ err: failure, retryInMs: delay }, 'video clip failed to load');
      this.emit('failed', failure);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (run === this.run) void this.load(run);
      }, delay);
      return;
    }
    if (run !== this.run) return;
    this.emit('started');
    this.play(run, clip, performance.now(), 0, 0);
  }

  /** Sends every frame due by now, then sleeps until the next one. `origin` is when loop 0's first frame was due. */
  private play(run: number, clip: H264Clip, origin: number, loop: number, index: number): void {
    const frames = clip.frames;
    const loopMs = clip.loopTicks / TICKS_PER_MS;
    const dueAt = (l: number, i: number) => origin + l * loopMs + frames[i]!.sendAt / TICKS_PER_MS;
    let now = performance.now();
    if (now - dueAt(loop, index) > MAX_LAG_MS) origin += now - dueAt(loop, index);
    while (run === this.run && dueAt(loop, index) <= now) {
      const frame = frames[index]!;
      this.emit('accessUnit', { nals: frame.nals as Buffer[], pts: loop * clip.loopTicks + frame.pts, keyframe: frame.keyframe, receivedAt: Date.now() });
      index += 1;
      if (index === frames.length) {
        index = 0;
        loop += 1;
      }
      now = performance.now();
    }
    if (run !== this.run) return;
    this.timer = setTimeout(() => this.play(run, clip, origin, loop, index), Math.max(0, dueAt(loop, index) - now));
  }
}
