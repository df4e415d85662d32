import type { Socket } from 'node:net';
import type { DigestServer } from '../auth/index.js';
import type { Logger } from '../logging/index.js';
import type { RtspMedia } from './media-track.js';
import { formatResponse, RtspParser, type RtspInbound, type RtspRequest, type RtspResponse } from './rtsp-message.js';
import { InterleavedSink, UdpSink, type RtspSession } from './rtsp-session.js';
import { parseTransport } from './rtsp-transport.js';
import { buildSdp, trackControl } from './sdp.js';
import { TrackOutput } from './track-output.js';
import type { Socket as UdpSocket } from 'node:dgram';

/** What a connection needs from its server. */
export interface RtspServerContext {
  readonly logger: Logger;
  readonly serverName: string;
  readonly auth: DigestServer | undefined;
  readonly sessionTimeoutSeconds: number;
  readonly maxSessionSeconds: number | undefined;
  readonly describeTimeoutMs: number;
  readonly udp: { rtp: UdpSocket; rtcp: UdpSocket } | undefined;
  resolve(uri: string): Resolved | undefined;
  createSession(mountPath: string, media: RtspMedia, owner: RtspConnection): RtspSession;
  session(id: string): RtspSession | undefined;
  watchUdpPeer(session: RtspSession, address: string, port: number): void;
}

export interface Resolved {
  mountPath: string;
  media: RtspMedia;
  /** The track the URL designates, or undefined for the aggregate URL. */
  trackIndex: number | undefined;
  /** `rtsp://host:port/path/`, the Content-Base, as the client addressed the server. */
  base: string;
}

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Sessions one connection may hold (a client needs one per presentation it plays). */
const MAX_SESSIONS_PER_CONNECTION = 16;
const MAX_STALLED_MS = 10_000;

/**
 * One client's TCP connection: parses its requests in order, authenticates them (Digest, once per connection),
 * and runs the RTSP methods; interleaved RTP of its sessions is written back on the same socket.
 */
export class RtspConnection {
  private readonly parser = new RtspParser();
  private queue: Promise<void> = Promise.resolve();
  private user: string | undefined;
  private readonly sessions = new Set<RtspSession>();
  private readonly channels = new Set<number>();
  private closed = false;
  private stalledSince = 0;
  private dropped = 0;
  readonly remoteAddress: string;
  readonly localAddress: string;
  private readonly log: Logger;

  constructor(
    private readonly socket: Socket,
    private readonly server: RtspServerContext,
    private readonly onClosed: (connection: RtspConnection) => void,
  ) {
    this.remoteAddress = stripV4Mapped(socket.remoteAddress);
    this.localAddress = stripV4Mapped(socket.localAddress);
    this.log = server.logger.child({ client: `${this.remoteAddress}:${socket.remotePort}` });
  }

  start(): void {
    const s = this.socket;
    s.setNoDelay(true);
    s.setKeepAlive(true, 30_000);
    s.setTimeout(this.server.sessionTimeoutSeconds * 1000);
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('timeout', () => {
      if (![...this.sessions].some((x) => x.playing)) this.destroy('idle connection timed out');
    });
    s.on('error', (error) => this.log.debug({ err: error }, 'RTSP connection error'));
    s.on('close', () => this.cleanup());
    s.on('drain', () => {
      this.stalledSince = 0;
    });
  }

  destroy(reason: string): void {
    if (this.closed) return;
    this.log.debug({ reason }, 'closing RTSP connection');
    this.socket.destroy();
    this.cleanup();
  }

  /** Bytes the client sent by another way than this socket (the decoded POST body of an RTSP-over-HTTP tunnel). */
  receive(chunk: Buffer): void {
    if (!this.closed) this.onData(chunk);
  }

  /** Writes the RTP (or RTCP) packets of one frame as interleaved frames, dropping them for a client that stopped reading. */
  writeInterleaved(channel: number, packets: readonly (readonly Buffer[])[]): void {
    if (this.closed || this.socket.destroyed) return;
    if (this.socket.writableLength > MAX_BUFFERED_BYTES) {
      const now = Date.now();
      if (this.stalledSince === 0) this.stalledSince = now;
      this.dropped += packets.length;
      if (this.dropped === packets.length) this.log.warn('RTSP client does not read fast enough: dropping packets');
      if (now - this.stalledSince > MAX_STALLED_MS) this.destroy('client stopped reading');
      return;
    }
    this.socket.cork();
    for (const parts of packets) {
      let length = 0;
      for (const p of parts) length += p.length;
      const prefix = Buffer.allocUnsafe(4);
      prefix[0] = 0x24;
      prefix[1] = channel;
      prefix.writeUInt16BE(length, 2);
      this.socket.write(prefix);
      for (const p of parts) this.socket.write(p);
    }
    this.socket.uncork();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions) if (session.interleaved || !session.playing) session.close();
    this.sessions.clear();
    this.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    let items: RtspInbound[];
    try {
      items = this.parser.push(chunk);
    } catch (error) {
      this.log.warn({ err: error }, 'RTSP parser failed');
      this.destroy('parser failure');
      return;
    }
    for (const item of items) {
      if (item.kind === 'interleaved') {
        for (const session of this.sessions) session.touch();
        continue;
      }
      if (item.kind === 'invalid') {
        this.log.info({ reason: item.reason }, 'refusing RTSP client input');
        this.queue = this.queue.then(() => {
          this.send({ status: item.status }, undefined);
          this.socket.end();
        });
        return;
      }
      const request = item.request;
      this.queue = this.queue
        .then(() => this.handle(request))
        .catch((error: unknown) => {
          this.log.error({ err: error, method: request.method }, 'RTSP request failed');
          this.send({ status: 500 }, request.headers.get('cseq'));
        });
    }
  }

  private send(response: RtspResponse, cseq: string | undefined): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(formatResponse(response, cseq, this.server.serverName));
  }

  private async handle(request: RtspRequest): Promise<void> {
    if (this.closed) return;
    const cseq = request.headers.get('cseq');
    if (cseq === undefined) {
      this.send({ status: 400, headers: [['Content-Type', 'text/plain']], body: 'CSeq header required\r\n' }, undefined);
      return;
    }
    this.log.debug({ method: request.method, uri: request.uri }, 'RTSP request');
    const require = request.headers.get('require');
    if (require) {
      this.send({ status: 551, headers: [['Unsupported', require]] }, cseq);
      return;
    }
    if (request.method !== 'OPTIONS') {
      const refusal = this.authenticate(request);
      if (refusal) {
        this.send(refusal, cseq);
        return;
      }
    }
    const sessionId = request.headers.get('session')?.split(';')[0]?.trim();
    const session = sessionId ? this.server.session(sessionId) : undefined;
    session?.touch();
    let response: RtspResponse;
    switch (request.method) {
      case 'OPTIONS':
        response = { status: 200, headers: [['Public', PUBLIC]] };
        break;
      case 'DESCRIBE':
        response = await this.describe(request);
        break;
      case 'SETUP':
        response = this.setup(request, sessionId, session);
        break;
      case 'PLAY':
        response = this.play(request, sessionId, session);
        break;
      case 'PAUSE':
        response = this.pause(sessionId, session);
        break;
      case 'TEARDOWN':
        response = this.teardown(sessionId, session);
        break;
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        response = this.parameter(request, sessionId, session);
        break;
      default:
        response = { status: 405, headers: [['Allow', PUBLIC]] };
    }
    this.send(response, cseq);
    if (request.method === 'PLAY' && response.status === 200 && session) this.startPlaying(session);
  }

  private authenticate(request: RtspRequest): RtspResponse | undefined {
    const auth = this.server.auth;
    if (!auth) return undefined;
    const authorization = request.headers.get('authorization');
    if (!authorization && this.user !== undefined) return undefined;
    const result = auth.verify({ method: request.method, uri: request.uri, authorization });
    if (result.ok) {
      this.user = result.username;
      return undefined;
    }
    if (result.reason === 'missing') this.log.debug('RTSP request without credentials: challenging');
    else this.log.info({ reason: result.reason, detail: result.detail, user: result.username }, 'RTSP authentication refused');
    return { status: 401, headers: auth.challenge({ stale: result.reason === 'stale' }).map((v) => ['WWW-Authenticate', v] as const) };
  }

  private async describe(request: RtspRequest): Promise<RtspResponse> {
    const target = this.server.resolve(request.uri);
    if (!target) return { status: 404 };
    try {
      await Promise.all(target.media.tracks.map((t) => t.prepare(this.server.describeTimeoutMs)));
    } catch (error) {
      this.log.error({ err: error, path: target.mountPath }, 'cannot describe the stream: its source is not ready');
      return { status: 503, headers: [['Retry-After', '5']] };
    }
    const sdp = buildSdp(target.media, { serverAddress: this.localAddress, sessionId: String(Date.now()), version: 1 });
    return {
      status: 200,
      headers: [
        ['Content-Base', target.base],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    };
  }

  private setup(request: RtspRequest, sessionId: string | undefined, existing: RtspSession | undefined): RtspResponse {
    const target = this.server.resolve(request.uri);
    if (!target) return { status: 404 };
    const index = target.trackIndex ?? (target.media.tracks.length === 1 ? 0 : undefined);
    if (index === undefined) return { status: 459 };
    const track = target.media.tracks[index];
    if (!track) return { status: 404 };
    if (sessionId && !existing) return { status: 454 };
    if (existing && existing.mountPath !== target.mountPath) return { status: 459 };
    if (existing?.playing) return { status: 455 };
    if (existing?.outputs.has(index)) return { status: 455 };
    if (!existing && this.sessions.size >= MAX_SESSIONS_PER_CONNECTION) return { status: 453 };

    const session = existing ?? this.server.createSession(target.mountPath, target.media, this);
    const sink = this.chooseSink(parseTransport(request.headers.get('transport')));
    if (!sink) {
      if (!existing) session.close();
      return { status: 461 };
    }
    if (!existing) this.sessions.add(session);
    if (sink instanceof UdpSink) this.server.watchUdpPeer(session, sink.address, sink.rtcpPort);
    const output = new TrackOutput(track, trackControl(index), sink, undefined, session.timeline);
    session.outputs.set(index, output);
    track.acquire();
    return {
      status: 200,
      headers: [
        ['Transport', `${sink.description};ssrc=${output.ssrc.toString(16).toUpperCase().padStart(8, '0')}`],
        ['Session', `${session.id};timeout=${this.server.sessionTimeoutSeconds}`],
      ],
    };
  }

  private chooseSink(specs: ReturnType<typeof parseTransport>): InterleavedSink | UdpSink | undefined {
    for (const spec of specs) {
      if (spec.multicast) continue;
      if (spec.lowerTransport === 'TCP') {
        let pair = spec.interleaved;
        if (!pair || this.channels.has(pair[0]) || this.channels.has(pair[1])) {
          let c = 0;
          while (this.channels.has(c) || this.channels.has(c + 1)) c += 2;
          pair = [c, c + 1];
        }
        this.channels.add(pair[0]);
        this.channels.add(pair[1]);
        return new InterleavedSink(this, pair[0], pair[1]);
      }
      const udp = this.server.udp;
      if (udp && spec.clientPort) {
        // Packets go only to the address the request came from, never to a `destination` naming a third party.
        return new UdpSink(udp.rtp, udp.rtcp, this.remoteAddress, spec.clientPort[0], spec.clientPort[1], this.log);
      }
    }
    return undefined;
  }

  private play(request: RtspRequest, sessionId: string | undefined, session: RtspSession | undefined): RtspResponse {
    if (!sessionId) return { status: 454 };
    if (!session) return { status: 454 };
    if (session.outputs.size === 0) return { status: 455 };
    const target = this.server.resolve(request.uri);
    const base = target?.base ?? `${request.uri.replace(/\/+$/, '')}/`;
    const info: string[] = [];
    for (const output of session.outputs.values()) {
      const { seq, rtptime } = output.rtpInfo(); // the response goes out first; startPlaying() starts the packets
      info.push(`url=${base}${output.control};seq=${seq};rtptime=${rtptime}`);
    }
    return {
      status: 200,
      headers: [
        ['Range', 'npt=0.000-'],
        ['RTP-Info', info.join(',')],
        ['Session', `${session.id};timeout=${this.server.sessionTimeoutSeconds}`],
      ],
    };
  }

  private startPlaying(session: RtspSession): void {
    session.playing = true;
    for (const output of session.outputs.values()) output.play();
    const max = this.server.maxSessionSeconds;
    if (max !== undefined) {
      session.limitDuration(max, () => {
        this.log.info({ session: session.id, seconds: max }, 'ending RTSP session (drop-after)');
        session.close();
        this.destroy('session reached its maximum duration');
      });
    }
  }

  private pause(sessionId: string | undefined, session: RtspSession | undefined): RtspResponse {
    if (!sessionId || !session) return { status: 454 };
    for (const output of session.outputs.values()) output.pause();
    session.playing = false;
    return { status: 200, headers: [['Session', `${session.id};timeout=${this.server.sessionTimeoutSeconds}`]] };
  }

  private teardown(sessionId: string | undefined, session: RtspSession | undefined): RtspResponse {
    if (!sessionId || !session) return { status: 454 };
    for (const output of session.outputs.values()) {
      if (output.sink instanceof InterleavedSink) {
        this.channels.delete(output.sink.rtpChannel);
        this.channels.delete(output.sink.rtcpChannel);
      }
    }
    session.close();
    this.sessions.delete(session);
    return { status: 200 };
  }

  private parameter(request: RtspRequest, sessionId: string | undefined, session: RtspSession | undefined): RtspResponse {
    if (sessionId && !session) return { status: 454 };
    if (request.method === 'SET_PARAMETER' && request.body.length > 0) return { status: 451 };
    return { status: 200, headers: session ? [['Session', `${session.id};timeout=${this.server.sessionTimeoutSeconds}`]] : [] };
  }
}

function stripV4Mapped(address: string | undefined): string {
  if (!address) return '0.0.0.0';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
