import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { DigestServer } from '../auth/index.js';
import { ListenError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { RtspMedia } from './media-track.js';
import { RtspConnection, type Resolved, type RtspServerContext } from './rtsp-connection.js';
import { RtspHttpTunnels, sniffProtocol } from './rtsp-http-tunnel.js';
import { RtspSession } from './rtsp-session.js';
import { trackControl } from './sdp.js';

export interface RtspServerOptions {
  /** Address to listen on (TCP for RTSP, UDP for RTP/RTCP). */
  host: string;
  /** RTSP port; 0 = any free port. */
  port: number;
  logger: Logger;
  /** Digest authentication for every method but OPTIONS; none = open server. */
  auth?: DigestServer;
  /** Sessions without a request or RTCP report for this long end (advertised in the Session header). @defaultValue 60 */
  sessionTimeoutSeconds?: number;
  /** End every session this long after PLAY (the client may reconnect). @defaultValue unlimited */
  maxSessionSeconds?: number;
  /** Wait at most this long for a source to be ready in DESCRIBE. @defaultValue 10 000 */
  describeTimeoutMs?: number;
  /** Offer RTP over UDP besides RTP over RTSP/TCP. @defaultValue true */
  udp?: boolean;
  /** Most simultaneous client connections. @defaultValue 256 */
  maxConnections?: number;
  /** `Server` header. @defaultValue 'Vigie' */
  serverName?: string;
}

/**
 * The RTSP server of Vigie (RFC 2326): serves mounted presentations (one or more tracks: H.264 video, ONVIF
 * metadata...) to any number of clients over RTP/RTSP/TCP interleaved or RTP/UDP unicast, with Digest
 * authentication and session time-outs. Sources are shared: clients subscribe to the mounted tracks.
 */
export class RtspServer implements RtspServerContext {
  readonly logger: Logger;
  readonly serverName: string;
  readonly auth: DigestServer | undefined;
  readonly sessionTimeoutSeconds: number;
  readonly maxSessionSeconds: number | undefined;
  readonly describeTimeoutMs: number;
  udp: { rtp: UdpSocket; rtcp: UdpSocket } | undefined;
  private readonly mounts = new Map<string, RtspMedia>();
  private readonly sessions = new Map<string, RtspSession>();
  private readonly connections = new Set<RtspConnection>();
  private readonly udpPeers = new Map<string, RtspSession>();
  private server: Server | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private boundPort = 0;
  private readonly tunnels: RtspHttpTunnels;

  constructor(private readonly options: RtspServerOptions) {
    this.logger = options.logger;
    this.serverName = options.serverName ?? 'Vigie';
    this.auth = options.auth;
    this.sessionTimeoutSeconds = options.sessionTimeoutSeconds ?? 60;
    this.maxSessionSeconds = options.maxSessionSeconds;
    this.describeTimeoutMs = options.describeTimeoutMs ?? 10_000;
    this.tunnels = new RtspHttpTunnels({ logger: this.logger, serverName: this.serverName, open: (socket) => this.open(socket) });
  }

  /** The bound port (after `start`). */
  get port(): number {
    return this.boundPort;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Serves `media` at `path` (`/main`); replaces what was there. */
  mount(path: string, media: RtspMedia): void {
    this.mounts.set(normalisePath(path), media);
  }

  unmount(path: string): void {
    const p = normalisePath(path);
    this.mounts.delete(p);
    for (const session of this.sessions.values()) if (session.mountPath === p) session.owner.destroy('stream removed');
  }

  /** `rtsp://host:port/path` for a mounted path. */
  url(path: string, host: string): string {
    const h = host.includes(':') ? `[${host}]` : host;
    return `rtsp://${h}:${this.boundPort}${normalisePath(path)}`;
  }

  async start(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections ?? 256;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause: NodeJS.ErrnoException) => reject(new ListenError('RTSP server', this.options.host, this.options.port, cause)));
      server.listen(this.options.port, this.options.host, () => {
        server.removeAllListeners('error');
        server.on('error', (error) => this.logger.error({ err: error }, 'RTSP server error'));
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.options.port;
    try {
      if (this.options.udp ?? true) this.udp = await bindUdpPair(this.options.host, this.logger, (address, port) => this.udpPeers.get(`${address}:${port}`)?.touch());
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.sweeper = setInterval(() => this.sweep(), Math.min(5000, Math.max(250, this.sessionTimeoutSeconds * 250)));
    this.sweeper.unref();
    this.logger.debug({ port: this.boundPort, udp: this.udp?.rtp.address().port }, 'RTSP server listening');
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.tunnels.closeAll();
    for (const connection of [...this.connections]) connection.destroy('server stopping');
    for (const session of [...this.sessions.values()]) session.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.udp) {
      const { rtp, rtcp } = this.udp;
      this.udp = undefined;
      await Promise.all([rtp, rtcp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
  }

  resolve(uri: string): Resolved | undefined {
    let url: URL;
    try {
      url = new URL(uri);
    } catch (_error) {
      return undefined; // not an absolute URL: no presentation
    }
    const path = normalisePath(safeDecode(url.pathname));
    const base = (mountPath: string) => `${url.protocol}//${url.host}${mountPath === '/' ? '' : mountPath}/`;
    const direct = this.mounts.get(path);
    if (direct) return { mountPath: path, media: direct, trackIndex: undefined, base: base(path) };
    const slash = path.lastIndexOf('/');
    const mountPath = slash <= 0 ? '/' : path.slice(0, slash);
    const media = this.mounts.get(mountPath);
    if (!media) return undefined;
    const control = path.slice(slash + 1);
    const index = media.tracks.findIndex((_t, i) => trackControl(i) === control);
    return index < 0 ? undefined : { mountPath, media, trackIndex: index, base: base(mountPath) };
  }

  createSession(mountPath: string, media: RtspMedia, owner: RtspConnection): RtspSession {
    const session = new RtspSession(mountPath, media, owner, (s) => {
      this.sessions.delete(s.id);
      for (const [key, value] of this.udpPeers) if (value === s) this.udpPeers.delete(key);
    });
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: string): RtspSession | undefined {
    return this.sessions.get(id);
  }

  watchUdpPeer(session: RtspSession, address: string, port: number): void {
    this.udpPeers.set(`${address}:${port}`, session);
  }

  /** Plain RTSP and RTSP over HTTP (a GET and a POST, see rtsp-http-tunnel.ts) share the port. */
  private accept(socket: Socket): void {
    sniffProtocol(socket, this.sessionTimeoutSeconds * 1000, (kind, head) => {
      if (kind === 'http') this.tunnels.accept(socket, head);
      else this.open(socket).receive(head);
    });
  }

  private open(socket: Socket): RtspConnection {
    const connection = new RtspConnection(socket, this, (c) => this.connections.delete(c));
    this.connections.add(connection);
    connection.start();
    return connection;
  }

  /** Ends UDP sessions whose client went silent (TCP sessions end with their connection). */
  private sweep(): void {
    const limit = Date.now() - this.sessionTimeoutSeconds * 1000;
    for (const session of [...this.sessions.values()]) {
      if (!session.interleaved && session.lastActivity < limit) {
        this.logger.info({ session: session.id }, 'RTSP session timed out');
        session.close();
      }
    }
  }
}

function normalisePath(path: string): string {
  const p = `/${path}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch (_error) {
    return path; // invalid percent-encoding: match the path as written
  }
}

/** Binds the RTP (even) and RTCP (odd, next) UDP ports on `host`. */
async function bindUdpPair(host: string, logger: Logger, onRtcp: (address: string, port: number) => void): Promise<{ rtp: UdpSocket; rtcp: UdpSocket }> {
  const type = host.includes(':') ? 'udp6' : 'udp4';
  const bind = (port: number) =>
    new Promise<UdpSocket>((resolve, reject) => {
      const socket = createSocket(type);
      socket.once('error', (error) => {
        socket.close();
        reject(error);
      });
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', (error) => logger.debug({ err: error }, 'RTP/UDP socket error'));
        resolve(socket);
      });
    });
  const closeSocket = (s: UdpSocket) => new Promise<void>((resolve) => s.close(() => resolve()));
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const rtp = await bind(0);
    const port = rtp.address().port;
    if (port % 2 !== 0 || port >= 65535) {
      await closeSocket(rtp);
      continue;
    }
    try {
      const rtcp = await bind(port + 1);
      rtcp.on('message', (_msg, rinfo) => onRtcp(rinfo.address, rinfo.port));
      rtp.on('message', () => undefined); // NAT keep-alive packets from clients: ignored
      return { rtp, rtcp };
    } catch (error) {
      lastError = error;
      await closeSocket(rtp);
    }
  }
  throw new ListenError('RTP/UDP', host, 0, (lastError ?? new Error('no free even/odd port pair')) as NodeJS.ErrnoException);
}
