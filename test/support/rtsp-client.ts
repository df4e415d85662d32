import { connect, type Socket } from 'node:net';
import { DigestClient } from '../../src/auth/index.js';

export interface RtspReply {
  status: number;
  headers: Map<string, string[]>;
  body: string;
}

export interface InterleavedFrame {
  channel: number;
  data: Buffer;
  at: number;
}

/** A bare RTSP client over one TCP connection, to check the protocol byte by byte (and to misbehave on purpose). */
export class RawRtspClient {
  private buffer = Buffer.alloc(0);
  private cseq = 0;
  private readonly waiting = new Map<number, (reply: RtspReply) => void>();
  private digest: DigestClient | undefined;
  readonly frames: InterleavedFrame[] = [];
  /** Keep every frame in `frames` (tests); off, only the counters move (benchmarks). */
  keepFrames = true;
  frameCount = 0;
  byteCount = 0;
  closed = false;
  /** How requests leave: on the socket (plain RTSP) or, for RTSP over HTTP, base64 on the tunnel's POST. */
  sendRequest: (text: string) => void = (text) => this.socket.write(text);
  /** Status of an HTTP response read on the socket (the answer to an RTSP-over-HTTP GET). */
  httpStatus: number | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined); // tests look at `closed` and at replies
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawRtspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RawRtspClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a request; with credentials, answers a 401 challenge once (Digest) and keeps using it. */
  async request(method: string, url: string, headers: Record<string, string> = {}, credentials?: { user: string; password: string }): Promise<RtspReply> {
    const send = () => {
      this.cseq += 1;
      const all = { CSeq: String(this.cseq), ...headers, ...(this.digest ? { Authorization: this.digest.authorization(method, url) } : {}) };
      this.sendRequest(`${method} ${url} RTSP/1.0\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      const cseq = this.cseq;
      return new Promise<RtspReply>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${method} within 15 s`)), 15_000);
        this.waiting.set(cseq, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
      });
    };
    let reply = await send();
    if (reply.status === 401 && credentials) {
      this.digest = DigestClient.fromChallenges(reply.headers.get('www-authenticate') ?? [], { username: credentials.user, password: credentials.password });
      reply = await send();
    }
    return reply;
  }

  /** Resolves once `count` frames arrived on `channel` (after `since` frames), or rejects after `timeoutMs`. */
  async waitFrames(channel: number, count: number, timeoutMs = 15_000): Promise<InterleavedFrame[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.frames.filter((f) => f.channel === channel);
      if (got.length >= count) return got.slice(0, count);
      if (Date.now() > deadline) throw new Error(`only ${got.length} of ${count} frames on channel ${channel}`);
      if (this.closed) throw new Error(`connection closed after ${got.length} frames on channel ${channel}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length === 0) return;
      if (this.buffer[0] === 0x24) {
        if (this.buffer.length < 4) return;
        const length = this.buffer.readUInt16BE(2);
        if (this.buffer.length < 4 + length) return;
        this.frameCount += 1;
        this.byteCount += length;
        if (this.keepFrames) this.frames.push({ channel: this.buffer[1]!, data: Buffer.from(this.buffer.subarray(4, 4 + length)), at: Date.now() });
        this.buffer = this.buffer.subarray(4 + length);
        continue;
      }
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map<string, string[]>();
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), line.slice(i + 1).trim()]);
      }
      const length = Number(headers.get('content-length')?.[0] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      const http = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
      if (http) this.httpStatus = Number(http[1]);
      const status = Number(/^RTSP\/1\.0 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const cseq = Number(headers.get('cseq')?.[0] ?? -1);
      this.waiting.get(cseq)?.({ status, headers, body });
      this.waiting.delete(cseq);
    }
  }
}

/** RTP header fields of an interleaved frame. */
export function rtp(data: Buffer): { marker: boolean; payloadType: number; seq: number; timestamp: number; ssrc: number; payload: Buffer } {
  return {
    marker: (data[1]! & 0x80) !== 0,
    payloadType: data[1]! & 0x7f,
    seq: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(12),
  };
}
