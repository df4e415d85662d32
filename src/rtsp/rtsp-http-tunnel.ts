import type { Socket } from 'node:net';
import type { Logger } from '../logging/index.js';
import { Base64StreamDecoder } from './base64-stream.js';

/** Longest HTTP request head (request line and headers) of a tunnel's GET or POST. */
const MAX_HTTP_HEAD_BYTES = 8 * 1024;
/** Longest `x-sessioncookie` (QuickTime uses 22 characters, ffmpeg 16 hex digits, GStreamer 24). */
const MAX_COOKIE_LENGTH = 128;
/**
 * Stop reading the POST while this much is waiting to go out on the GET (a client that sends requests and does not
 * read the answers); RTP is dropped earlier than this, so only answers pile up here.
 */
const MAX_PENDING_OUT_BYTES = 8 * 1024 * 1024;
/** The first bytes of a connection that may still become `GET ` or `POST `. */
const HTTP_PREFIXES = ['GET ', 'POST '];

/** What the tunnel needs from the RTSP server: a connection on the GET socket, fed with the decoded POST body. */
export interface TunnelHost {
  readonly logger: Logger;
  readonly serverName: string;
  /** Runs RTSP on `socket` (responses and interleaved RTP are written to it); returns the feed for its requests. */
  open(socket: Socket): { receive(chunk: Buffer): void; destroy(reason: string): void };
}

interface Tunnel {
  get: Socket;
  connection: { receive(chunk: Buffer): void; destroy(reason: string): void };
  remoteAddress: string | undefined;
  post: Socket | undefined;
}

/**
 * Which protocol a new connection speaks, from its first bytes: `http` for `GET ` / `POST ` (RTSP over HTTP),
 * `rtsp` for anything else (RTSP methods include GET_PARAMETER, hence the space). Calls `decide` once with the
 * bytes read so far, which the caller must process first.
 */
export function sniffProtocol(socket: Socket, idleMs: number, decide: (kind: 'http' | 'rtsp', head: Buffer) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = head.length ? Buffer.concat([head, chunk]) : chunk;
    const text = head.subarray(0, 5).toString('latin1');
    const http = HTTP_PREFIXES.some((p) => text.startsWith(p));
    const undecided = !http && HTTP_PREFIXES.some((p) => p.startsWith(text));
    if (undecided) return;
    socket.off('data', onData);
    socket.off('timeout', onTimeout);
    decide(http ? 'http' : 'rtsp', head);
  };
  const onTimeout = (): void => {
    socket.destroy();
  };
  socket.setTimeout(idleMs);
  socket.on('data', onData);
  socket.on('timeout', onTimeout);
  socket.on('error', () => socket.destroy()); // reset before a byte was read: nothing to clean up
}

/**
 * RTSP over HTTP (the QuickTime tunnel of ONVIF Streaming §5.1.1.4): a client opens an HTTP GET carrying an
 * `x-sessioncookie`; the server answers 200 `application/x-rtsp-tunnelled` and keeps that connection for its RTSP
 * responses and interleaved RTP. A second connection POSTs with the same cookie; its body is base64 RTSP requests,
 * split anywhere. The GET connection runs an ordinary RTSP connection (Digest and all), fed with the decoded POST
 * body. A POST needs a waiting GET from the same address with its cookie; closing either side closes both.
 */
export class RtspHttpTunnels {
  private readonly tunnels = new Map<string, Tunnel>();

  constructor(private readonly host: TunnelHost) {}

  get size(): number {
    return this.tunnels.size;
  }

  /** Takes a connection whose first bytes were `GET ` or `POST `: reads its HTTP head, then joins or opens a tunnel. */
  accept(socket: Socket, head: Buffer): void {
    let buffered: Buffer = head;
    const log = this.host.logger.child({ client: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` });
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      tryHead();
    };
    const onTimeout = (): void => {
      socket.destroy();
    };
    const tryHead = (): void => {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HTTP_HEAD_BYTES) {
          socket.off('data', onData);
          this.refuse(socket, log, 431, 'Request Header Fields Too Large', `HTTP request head longer than ${MAX_HTTP_HEAD_BYTES} bytes`);
        }
        return;
      }
      socket.off('data', onData);
      socket.off('timeout', onTimeout);
      if (end > MAX_HTTP_HEAD_BYTES) {
        this.refuse(socket, log, 431, 'Request Header Fields Too Large', `HTTP request head longer than ${MAX_HTTP_HEAD_BYTES} bytes`);
        return;
      }
      const request = parseHttpHead(buffered.subarray(0, end).toString('latin1'));
      const rest = buffered.subarray(end + 4);
      if (!request) {
        this.refuse(socket, log, 400, 'Bad Request', 'malformed HTTP request');
        return;
      }
      const cookie = request.headers.get('x-sessioncookie');
      if (!cookie || cookie.length > MAX_COOKIE_LENGTH || !/^[\x21-\x7e]+$/.test(cookie)) {
        this.refuse(socket, log, 400, 'Bad Request', 'not an RTSP-over-HTTP request: an x-sessioncookie header is required (this port serves RTSP)');
        return;
      }
      if (request.method === 'GET') this.openTunnel(socket, cookie, log);
      else this.attachPost(socket, cookie, rest, log);
    };
    socket.on('data', onData);
    socket.on('timeout', onTimeout);
    tryHead();
  }

  /** Closes every tunnel (server stopping). */
  closeAll(): void {
    for (const tunnel of [...this.tunnels.values()]) this.close(tunnel, 'server stopping');
  }

  private openTunnel(socket: Socket, cookie: string, log: Logger): void {
    if (this.tunnels.has(cookie)) {
      this.refuse(socket, log, 409, 'Conflict', 'x-sessioncookie already names an open tunnel');
      return;
    }
    socket.write(
      [
        'HTTP/1.0 200 OK',
        `Server: ${this.host.serverName}`,
        `Date: ${new Date().toUTCString()}`,
        'Connection: close',
        'Cache-Control: no-store',
        'Pragma: no-cache',
        'Content-Type: application/x-rtsp-tunnelled',
        '',
        '',
      ].join('\r\n'),
    );
    const connection = this.host.open(socket);
    const tunnel: Tunnel = { get: socket, connection, remoteAddress: socket.remoteAddress, post: undefined };
    this.tunnels.set(cookie, tunnel);
    socket.on('close', () => {
      if (this.tunnels.get(cookie) === tunnel) this.tunnels.delete(cookie);
      tunnel.post?.destroy();
    });
    log.debug('RTSP over HTTP: tunnel opened, waiting for its POST');
  }

  private attachPost(socket: Socket, cookie: string, rest: Buffer, log: Logger): void {
    const tunnel = this.tunnels.get(cookie);
    if (!tunnel) {
      this.refuse(socket, log, 403, 'Forbidden', 'POST with an unknown x-sessioncookie: open the GET first');
      return;
    }
    if (tunnel.remoteAddress !== socket.remoteAddress) {
      this.refuse(socket, log, 403, 'Forbidden', 'POST from another address than the tunnel GET');
      return;
    }
    if (tunnel.post) {
      this.refuse(socket, log, 409, 'Conflict', 'the tunnel already has its POST connection');
      return;
    }
    tunnel.post = socket;
    socket.setTimeout(0);
    const decoder = new Base64StreamDecoder();
    const feed = (chunk: Buffer): void => {
      const decoded = decoder.push(chunk);
      if (decoded === undefined) {
        log.info('RTSP over HTTP: the POST body is not base64: closing the tunnel');
        this.close(tunnel, 'POST body is not base64');
        return;
      }
      if (decoded.length > 0) tunnel.connection.receive(decoded);
      if (tunnel.get.writableLength > MAX_PENDING_OUT_BYTES && !socket.isPaused()) {
        socket.pause();
        tunnel.get.once('drain', () => socket.resume());
      }
    };
    socket.on('data', feed);
    socket.on('close', () => this.close(tunnel, 'POST connection closed'));
    log.debug('RTSP over HTTP: POST joined the tunnel');
    // The POST gets no HTTP response (QuickTime scheme); its body carries the RTSP requests.
    if (rest.length > 0) feed(rest);
  }

  private close(tunnel: Tunnel, reason: string): void {
    for (const [cookie, t] of this.tunnels) if (t === tunnel) this.tunnels.delete(cookie);
    tunnel.post?.destroy();
    tunnel.connection.destroy(reason);
  }

  private refuse(socket: Socket, log: Logger, status: number, text: string, reason: string): void {
    log.info({ status, reason }, 'RTSP over HTTP request refused');
    const body = `${reason}\r\n`;
    socket.end(
      `HTTP/1.0 ${status} ${text}\r\nServer: ${this.host.serverName}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.setTimeout(5000, () => socket.destroy());
  }
}

interface HttpHead {
  method: 'GET' | 'POST';
  path: string;
  headers: Map<string, string>;
}

function parseHttpHead(text: string): HttpHead | undefined {
  const lines = text.split('\r\n');
  const m = /^(GET|POST) (\S{1,4096}) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method: m[1] as 'GET' | 'POST', path: m[2]!, headers };
}
