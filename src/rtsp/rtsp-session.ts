import { randomBytes } from 'node:crypto';
import type { Socket as UdpSocket } from 'node:dgram';
import type { Logger } from '../logging/index.js';
import type { RtspMedia } from './media-track.js';
import { SharedTimeline, type PacketSink, type TrackOutput } from './track-output.js';

/** Interleaved RTP/RTCP on the client's RTSP connection (RTP over RTSP/TCP). */
export class InterleavedSink implements PacketSink {
  readonly description: string;

  constructor(
    private readonly writer: { writeInterleaved(channel: number, packets: readonly (readonly Buffer[])[]): void },
    readonly rtpChannel: number,
    readonly rtcpChannel: number,
  ) {
    this.description = `RTP/AVP/TCP;unicast;interleaved=${rtpChannel}-${rtcpChannel}`;
  }

  sendRtp(packets: readonly (readonly Buffer[])[]): void {
    this.writer.writeInterleaved(this.rtpChannel, packets);
  }

  sendRtcp(packet: Buffer): void {
    this.writer.writeInterleaved(this.rtcpChannel, [[packet]]);
  }
}

/** RTP/UDP unicast to the client's ports, from the server's RTP and RTCP sockets. */
export class UdpSink implements PacketSink {
  readonly description: string;

  constructor(
    private readonly rtpSocket: UdpSocket,
    private readonly rtcpSocket: UdpSocket,
    readonly address: string,
    readonly rtpPort: number,
    readonly rtcpPort: number,
    private readonly logger: Logger,
  ) {
    this.description = `RTP/AVP;unicast;client_port=${rtpPort}-${rtcpPort};server_port=${rtpSocket.address().port}-${rtcpSocket.address().port}`;
  }

  sendRtp(packets: readonly (readonly Buffer[])[]): void {
    for (const packet of packets) this.rtpSocket.send(packet as Buffer[], this.rtpPort, this.address, this.onSent);
  }

  sendRtcp(packet: Buffer): void {
    this.rtcpSocket.send(packet, this.rtcpPort, this.address, this.onSent);
  }

  private readonly onSent = (error: Error | null) => {
    if (error) this.logger.debug({ err: error, to: `${this.address}:${this.rtpPort}` }, 'RTP/UDP send failed');
  };
}

export interface SessionOwner {
  /** Closes the RTSP connection the session's interleaved tracks run on. */
  destroy(reason: string): void;
}

/** One client's RTSP session: its tracks' outputs, state and liveness. */
export class RtspSession {
  readonly id = randomBytes(8).toString('hex');
  readonly outputs = new Map<number, TrackOutput>();
  /** One RTP timestamp base for every track, when the media's tracks share a timeline. */
  readonly timeline: SharedTimeline | undefined;
  lastActivity = Date.now();
  playing = false;
  private maxTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly mountPath: string,
    readonly media: RtspMedia,
    /** The connection that created it (interleaved tracks live and die with it). */
    readonly owner: SessionOwner,
    private readonly onClose: (session: RtspSession) => void,
  ) {
    this.timeline = media.sharedTimeline ? new SharedTimeline() : undefined;
  }

  get interleaved(): boolean {
    for (const o of this.outputs.values()) if (o.sink instanceof InterleavedSink) return true;
    return false;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Ends the session after `seconds` of play (to rehearse camera drop-outs). */
  limitDuration(seconds: number, onExpire: () => void): void {
    if (this.maxTimer) return;
    this.maxTimer = setTimeout(onExpire, seconds * 1000);
    this.maxTimer.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.maxTimer);
    for (const output of this.outputs.values()) {
      output.close();
      output.track.release();
    }
    this.outputs.clear();
    this.onClose(this);
  }
}
