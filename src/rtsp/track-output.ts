import { randomInt } from 'node:crypto';
import type { MediaTrack, RtpUnit } from './media-track.js';
import { rtcpSenderReport, rtpHeader } from './rtp.js';

/** Where a track's RTP and RTCP go for one client. */
export interface PacketSink {
  readonly description: string;
  /** Sends the RTP packets of one frame (header + payload pieces each). */
  sendRtp(packets: readonly (readonly Buffer[])[]): void;
  sendRtcp(packet: Buffer): void;
}

const SR_INTERVAL_MS = 5000;

/**
 * The RTP timestamp base and origin the tracks of one client session share when their media puts every track on
 * one timeline (`RtspMedia.sharedTimeline`): the same instant then has the same RTP time in each track.
 */
export class SharedTimeline {
  readonly base = randomInt(0, 0xffffffff);
  origin: number | undefined;
  /** A track of the session has sent its first packet: the origin no longer moves. */
  started = false;
}

/**
 * One track of one client session: its own SSRC, sequence numbers and RTP timestamp base, mapped onto the shared
 * track's timeline. A client starts (and resumes after PAUSE) at a sync point, so its first frame is a key frame.
 */
export class TrackOutput {
  readonly ssrc = randomInt(1, 0xffffffff);
  private sequence = randomInt(0, 0x10000);
  private readonly ownBase = randomInt(0, 0xffffffff);
  private ownOrigin: number | undefined;
  private waitingForSync = true;
  private unsubscribe: (() => void) | undefined;
  private packets = 0;
  private octets = 0;
  private lastTimestamp = 0;
  private lastWallMs = 0;
  private srTimer: NodeJS.Timeout | undefined;
  private firstSent = false;

  constructor(
    readonly track: MediaTrack,
    readonly control: string,
    readonly sink: PacketSink,
    private readonly onSent?: (bytes: number) => void,
    /** Shared with the session's other tracks (one timeline); else this output has its own base and origin. */
    private readonly shared?: SharedTimeline,
  ) {}

  private get timestampBase(): number {
    return this.shared ? this.shared.base : this.ownBase;
  }

  private get origin(): number | undefined {
    return this.shared ? this.shared.origin : this.ownOrigin;
  }

  private set origin(value: number | undefined) {
    if (this.shared) this.shared.origin = value;
    else this.ownOrigin = value;
  }

  get playing(): boolean {
    return this.unsubscribe !== undefined;
  }

  /** The RTP-Info values (sequence number and RTP time) of the first packet a PLAY issued now will send. */
  rtpInfo(): { seq: number; rtptime: number } {
    const now = this.track.currentTimestamp();
    if (this.origin === undefined) this.origin = now;
    return { seq: this.sequence & 0xffff, rtptime: this.rtpTime(now) };
  }

  /** Starts (or resumes) sending, from the next sync point. */
  play(): void {
    if (this.origin === undefined) this.origin = this.track.currentTimestamp();
    this.waitingForSync = true;
    if (!this.unsubscribe) this.unsubscribe = this.track.subscribe((units) => this.onUnits(units));
    if (!this.srTimer) {
      this.srTimer = setInterval(() => this.sendReport(), SR_INTERVAL_MS);
      this.srTimer.unref();
    }
  }

  pause(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  close(): void {
    this.pause();
    clearInterval(this.srTimer);
    this.srTimer = undefined;
  }

  private rtpTime(timestamp: number): number {
    return (this.timestampBase + (timestamp - (this.origin ?? timestamp))) >>> 0;
  }

  private onUnits(units: readonly RtpUnit[]): void {
    let start = 0;
    if (this.waitingForSync) {
      start = units.findIndex((u) => u.syncPoint);
      if (start < 0) return;
      // Never stamp the first packet before the rtptime announced in RTP-Info. On a shared timeline the origin
      // moves only until the session's first packet; after that, a metadata document about an earlier moment
      // than the origin (one describing a frame from before PLAY) is skipped, a video frame is sent as it is.
      const origin = this.origin;
      if (!this.firstSent && origin !== undefined && units[start]!.timestamp < origin) {
        if (!this.shared || !this.shared.started) this.origin = units[start]!.timestamp;
        else if (this.track.kind !== 'video') return;
      }
      this.waitingForSync = false;
    }
    const packets: Buffer[][] = [];
    let bytes = 0;
    for (let i = start; i < units.length; i += 1) {
      const u = units[i]!;
      const ts = this.rtpTime(u.timestamp);
      const header = rtpHeader(this.track.payloadType, u.marker, this.sequence, ts, this.ssrc);
      this.sequence = (this.sequence + 1) & 0xffff;
      let size = 0;
      for (const p of u.parts) size += p.length;
      this.packets += 1;
      this.octets += size;
      bytes += size + 12;
      this.lastTimestamp = ts;
      packets.push([header, ...u.parts]);
    }
    this.lastWallMs = Date.now();
    if (this.shared) this.shared.started = true;
    this.sink.sendRtp(packets);
    this.onSent?.(bytes);
    if (!this.firstSent) {
      this.firstSent = true;
      this.sendReport();
    }
  }

  private sendReport(): void {
    if (!this.firstSent || !this.playing) return;
    const now = Date.now();
    // On a shared timeline every track reports the media clock's position now, so the reports of all tracks agree.
    const rtpNow = this.shared
      ? this.rtpTime(this.track.currentTimestamp())
      : (this.lastTimestamp + Math.round(((now - this.lastWallMs) * this.track.clockRate) / 1000)) >>> 0;
    this.sink.sendRtcp(rtcpSenderReport(this.ssrc, now, rtpNow, this.packets, this.octets));
  }
}
