import { VideoSourceError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { NAL, nalType } from './h264-nal.js';
import { DEFAULT_MAX_PAYLOAD, packetizeH264 } from './h264-packetizer.js';
import type { AccessUnit, H264Source } from './h264-source.js';
import type { MediaClock } from './media-clock.js';
import type { MediaTrack, RtpUnit, RtpUnitListener } from './media-track.js';

export interface H264TrackOptions {
  /** Makes the source; called each time the track starts it. */
  source: H264Source;
  logger: Logger;
  /** What the track is, in logs and errors (`camera 1 main`). */
  label: string;
  /** @defaultValue 96 */
  payloadType?: number;
  /** Keep the source running this long after the last client left (a reconnecting client finds it warm). @defaultValue 10 */
  lingerSeconds?: number;
  /** @defaultValue 1400 */
  maxPayloadSize?: number;
  /**
   * The clock reference of the media this track belongs to: fed with each frame's arrival time, so other tracks
   * of the media stamp their units on this track's timeline.
   */
  clock?: MediaClock;
}

const CLOCK = 90_000;
/** A timestamp step larger than this (or backwards) is a discontinuity: the timeline continues smoothly over it. */
const MAX_STEP = 5 * CLOCK;
/** Frames kept since the last key frame (snapshots decode them); more means the source sends no key frames. */
const MAX_GOP_FRAMES = 600;

/**
 * An H.264 video track over a shared source: started when the first client (or a DESCRIBE, or a snapshot) needs
 * it, stopped a while after the last one left. It keeps the parameter sets for the SDP, the frames since the last
 * key frame for snapshots, and a continuous 90 kHz timeline across source restarts and file loops.
 */
export class H264Track implements MediaTrack {
  readonly kind = 'video';
  readonly clockRate = CLOCK;
  readonly payloadType: number;
  private sps: Buffer | undefined;
  private pps: Buffer | undefined;
  private users = 0;
  private running = false;
  private stopTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<RtpUnitListener>();
  private gop: AccessUnit[] = [];
  private offset = 0;
  private lastTs: number | undefined;
  private lastStep = CLOCK / 25;
  private lastWallMs = 0;
  private discontinuity = true;
  private waiters = new Set<{ test: () => boolean; resolve: () => void; reject: (e: Error) => void }>();
  private lastError: Error | undefined;

  constructor(private readonly options: H264TrackOptions) {
    this.payloadType = options.payloadType ?? 96;
    options.source.on('accessUnit', (au) => this.onAccessUnit(au));
    options.source.on('started', () => {
      this.discontinuity = true;
      this.gop = [];
    });
    options.source.on('failed', (error) => {
      this.lastError = error;
      for (const w of this.waiters) w.reject(error);
      this.waiters.clear();
    });
  }

  sdpAttributes(): string[] {
    const pt = this.payloadType;
    const fmtp = ['packetization-mode=1'];
    if (this.sps && this.sps.length >= 4) fmtp.push(`profile-level-id=${this.sps.subarray(1, 4).toString('hex').toUpperCase()}`);
    if (this.sps && this.pps) fmtp.push(`sprop-parameter-sets=${this.sps.toString('base64')},${this.pps.toString('base64')}`);
    return [`a=rtpmap:${pt} H264/${CLOCK}`, `a=fmtp:${pt} ${fmtp.join(';')}`];
  }

  acquire(): void {
    this.users += 1;
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
    if (!this.running) {
      this.running = true;
      this.lastError = undefined;
      this.options.logger.debug({ track: this.options.label }, 'starting video source');
      this.options.source.start();
    }
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || !this.running || this.stopTimer) return;
    this.stopTimer = setTimeout(() => {
      this.stopTimer = undefined;
      if (this.users > 0) return;
      this.running = false;
      this.options.logger.debug({ track: this.options.label }, 'stopping idle video source');
      void this.options.source.stop();
    }, (this.options.lingerSeconds ?? 10) * 1000);
  }

  async prepare(timeoutMs: number): Promise<void> {
    this.acquire();
    try {
      await this.until(() => this.sps !== undefined && this.pps !== undefined, timeoutMs, 'no H.264 parameter sets (SPS/PPS) arrived');
    } finally {
      this.release();
    }
  }

  subscribe(listener: RtpUnitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  currentTimestamp(): number {
    if (this.options.clock?.anchored) return this.options.clock.timestampNow();
    if (this.lastTs === undefined) return 0;
    return this.lastTs + Math.round(((performance.now() - this.lastWallMs) * CLOCK) / 1000);
  }

  /**
   * The frames from the last key frame to the newest one (starts the source if needed and waits for a key frame),
   * with the parameter sets, for decoding the current picture.
   */
  async currentPicture(timeoutMs: number): Promise<{ parameterSets: Buffer[]; frames: AccessUnit[] }> {
    this.acquire();
    try {
      await this.until(() => this.gop.length > 0, timeoutMs, 'no key frame arrived');
      const parameterSets = this.sps && this.pps ? [this.sps, this.pps] : [];
      return { parameterSets, frames: [...this.gop] };
    } finally {
      this.release();
    }
  }

  /** Stops the source now (server shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
    this.running = false;
    this.users = 0;
    for (const w of this.waiters) w.reject(new VideoSourceError(this.options.label, 'the track was closed'));
    this.waiters.clear();
    await this.options.source.stop();
  }

  private until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(new VideoSourceError(this.options.label, `${what}: ${e.message}`, { cause: e }));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new VideoSourceError(this.options.label, `${what} within ${timeoutMs} ms${this.lastError ? ` (${this.lastError.message})` : ''}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private onAccessUnit(au: AccessUnit): void {
    for (const nal of au.nals) {
      const type = nalType(nal);
      if (type === NAL.SPS && !this.sps?.equals(nal)) this.sps = Buffer.from(nal);
      else if (type === NAL.PPS && !this.pps?.equals(nal)) this.pps = Buffer.from(nal);
    }
    // Continuous timeline: the first frame after a (re)start or a jump follows the previous one by one frame step,
    // or, with a media clock, sits at the clock's position for its arrival (the timeline then keeps pace with the
    // wall clock across restarts, and the clock's mapping stays valid while the source is down).
    const clock = this.options.clock;
    // When the frame had fully arrived (the demuxer may hand it over only when the next one starts).
    const arrivalMs = au.receivedAt ?? Date.now() - (this.lastStep * 1000) / CLOCK;
    if (this.lastTs === undefined) this.offset = clock ? clock.timestampAt(arrivalMs) - au.pts : -au.pts;
    else {
      const step = au.pts + this.offset - this.lastTs;
      if (this.discontinuity || step <= 0 || step > MAX_STEP) {
        const next = this.lastTs + this.lastStep;
        this.offset = (clock ? Math.max(next, clock.timestampAt(arrivalMs)) : next) - au.pts;
      } else this.lastStep = step;
    }
    this.discontinuity = false;
    const timestamp = au.pts + this.offset;
    this.lastTs = timestamp;
    this.lastWallMs = performance.now();
    clock?.observe(timestamp, arrivalMs);

    if (au.keyframe) this.gop = [au];
    else if (this.gop.length > 0 && this.gop.length < MAX_GOP_FRAMES) this.gop.push(au);

    for (const w of this.waiters) {
      if (w.test()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
    if (this.listeners.size === 0) return;
    const payloads = packetizeH264(au.nals, this.options.maxPayloadSize ?? DEFAULT_MAX_PAYLOAD);
    const units: RtpUnit[] = payloads.map((p, i) => ({ parts: p.parts, marker: p.marker, timestamp, syncPoint: i === 0 && au.keyframe }));
    for (const listener of this.listeners) listener(units);
  }
}
