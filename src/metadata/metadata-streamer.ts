import type { DigestServer } from '../auth/index.js';
import { CameraStreamIdError, CameraStreamUnknownError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import { RtspServer } from '../rtsp/index.js';
import { CameraStream } from './camera-stream.js';
import type { MetadataFrame, MetadataOptions } from './metadata-frame.js';
import { MetadataMetrics } from './metadata-metrics.js';

/** A camera to serve: its id, name and RTSP URL (credentials inline), and the ONVIF tokens events name. */
export interface StreamCamera {
  cameraId: string;
  name: string;
  /** The camera's own RTSP URL (the analysed profile), e.g. `rtsp://user:pass@10.0.0.5:554/main`. */
  url: string;
  /** Token of the video source the device side gives this camera. @defaultValue the camera id */
  videoSourceToken?: string;
  /** Token of the video source configuration the device side gives this camera. @defaultValue `vsc_<cameraId>` */
  videoSourceConfigurationToken?: string;
  /** Token of its video analytics configuration. @defaultValue `vac_<cameraId>` */
  analyticsConfigurationToken?: string;
}

export interface MetadataStreamerOptions {
  /** Address the RTSP server listens on (TCP for RTSP, UDP for RTP/RTCP). */
  host: string;
  /** RTSP port (`server.rtspPort`, 8555); 0 = any free port. */
  port: number;
  logger: Logger;
  /** RTSP Digest for every request but OPTIONS (Vigie's users). Without it the streams are open. */
  auth?: DigestServer;
  /** Path under which cameras are served: `<pathPrefix>/<cameraId>`. @defaultValue '/cameras' */
  pathPrefix?: string;
  /** Metadata configuration of a camera nobody changed. @defaultValue analytics and events on */
  defaults?: Partial<MetadataOptions>;
  /** Keep a camera's passthrough running this long after its last client left. @defaultValue 10 */
  lingerSeconds?: number;
  /** Subtracted from each frame's capture time before it is put on the video's timeline (ingest's decoding delay). @defaultValue 0 */
  captureDelaySeconds?: number;
  /** End sessions whose client went silent this long. @defaultValue 60 */
  sessionTimeoutSeconds?: number;
  /** Wait this long for a camera's video (H.264 parameter sets) in DESCRIBE. @defaultValue 10 000 */
  describeTimeoutMs?: number;
  /** Offer RTP/UDP besides RTP over RTSP/TCP. @defaultValue true */
  udp?: boolean;
  ffmpegPath?: string;
  /** Largest RTP payload. @defaultValue 1400 */
  maxPayloadSize?: number;
  /** Send a document when none went out for this long (ONVIF recommends one a second at least). @defaultValue 1 */
  keepAliveSeconds?: number;
  /**
   * A live source of each camera's metadata configuration (the ONVIF device's, as clients set it), read at each
   * document; what it gives overrides `setMetadataOptions`. Undefined for a camera: the stored options stand.
   */
  settings?: (cameraId: string) => Partial<MetadataOptions> | undefined;
  /** Prometheus registry for vigie_metadata_documents_total and vigie_metadata_clients. */
  metrics?: Registry;
  /** A keep-alive repeats the last frame's objects while it is younger than this, else it says the scene is empty. @defaultValue 5 */
  staleSeconds?: number;
}

/** What one served camera is doing, for /health and tests. */
export interface StreamStats {
  cameraId: string;
  path: string;
  metadata: MetadataOptions;
  metadataClients: number;
  documentsSent: number;
  lastDocumentAt: string | undefined;
}

/** Contracts §6: per-camera RTSP media on Vigie's RTSP server, video passed through plus the ONVIF metadata track. */
export interface MetadataStreamer {
  /** Serves `rtsp://vigie:<port><pathPrefix>/<cameraId>` (video + metadata). Adding a served camera again with another URL or name replaces its media. */
  addCamera(camera: StreamCamera): Promise<void>;
  /** Stops serving the camera (its sessions end, its passthrough stops). Unknown ids are ignored. */
  removeCamera(cameraId: string): Promise<void>;
  /** One analysed frame (the hub's AnalyticsFrame): sent as one document to the camera's metadata clients. */
  publish(frame: MetadataFrame): void;
  /** ONVIF SetSynchronizationPoint: a new document now, describing the current scene, to the camera's metadata clients. */
  synchronize(cameraId: string): void;
  /**
   * What the camera's metadata configuration asks for (ONVIF SetMetadataConfiguration: Analytics, Events and its
   * topic Filter). Fields left out keep their value; `eventTopics: []` clears the filter.
   */
  setMetadataOptions(cameraId: string, options: Partial<MetadataOptions>): MetadataOptions;
  metadataOptions(cameraId: string): MetadataOptions;
  /** `/cameras/<cameraId>`: the path of a camera's media (the device side builds stream URIs from it). */
  rtspPath(cameraId: string): string;
  /** The bound RTSP port (after `start`). */
  readonly port: number;
  cameras(): StreamStats[];
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

const CAMERA_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export function createMetadataStreamer(options: MetadataStreamerOptions): MetadataStreamer {
  return new RtspMetadataStreamer(options);
}

class RtspMetadataStreamer implements MetadataStreamer {
  private readonly streams = new Map<string, CameraStream>();
  /** Per-camera metadata configuration; kept when a camera goes offline and comes back. */
  private readonly settings = new Map<string, MetadataOptions>();
  private readonly defaults: MetadataOptions;
  private readonly prefix: string;
  private readonly log: Logger;
  private server: RtspServer | undefined;
  private dropped = 0;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private readonly metrics: MetadataMetrics | undefined;

  constructor(private readonly options: MetadataStreamerOptions) {
    this.defaults = { analytics: options.defaults?.analytics ?? true, events: options.defaults?.events ?? true };
    this.prefix = `/${(options.pathPrefix ?? '/cameras').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
    this.log = options.logger.child({ component: 'metadata-stream' });
    this.metrics = options.metrics ? new MetadataMetrics(options.metrics, () => new Map([...this.streams.values()].map((s) => [s.cameraId, s.metadataClients]))) : undefined;
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  rtspPath(cameraId: string): string {
    return `${this.prefix}/${cameraId}`;
  }

  async start(): Promise<{ port: number }> {
    if (this.server) return { port: this.server.port };
    const server = new RtspServer({
      host: this.options.host,
      port: this.options.port,
      logger: this.log.child({ component: 'rtsp' }),
      auth: this.options.auth,
      sessionTimeoutSeconds: this.options.sessionTimeoutSeconds,
      describeTimeoutMs: this.options.describeTimeoutMs,
      udp: this.options.udp,
    });
    await server.start();
    this.server = server;
    for (const stream of this.streams.values()) server.mount(this.rtspPath(stream.cameraId), stream.media());
    this.keepAliveTimer = setInterval(() => this.keepAlive(), 250);
    this.keepAliveTimer.unref();
    this.log.info({ port: server.port, cameras: this.streams.size }, 'RTSP server for analysed cameras listening');
    return { port: server.port };
  }

  async stop(): Promise<void> {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    const server = this.server;
    this.server = undefined;
    await server?.stop();
    await Promise.all([...this.streams.values()].map((s) => s.close()));
  }

  async addCamera(camera: StreamCamera): Promise<void> {
    if (!CAMERA_ID.test(camera.cameraId)) throw new CameraStreamIdError(camera.cameraId);
    const existing = this.streams.get(camera.cameraId);
    const tokens = {
      videoSourceToken: camera.videoSourceToken ?? camera.cameraId,
      videoSourceConfigurationToken: camera.videoSourceConfigurationToken ?? `vsc_${camera.cameraId}`,
      analyticsConfigurationToken: camera.analyticsConfigurationToken ?? `vac_${camera.cameraId}`,
    };
    if (
      existing &&
      existing.options.url === camera.url &&
      existing.options.name === camera.name &&
      existing.options.videoSourceToken === tokens.videoSourceToken &&
      existing.options.videoSourceConfigurationToken === tokens.videoSourceConfigurationToken &&
      existing.options.analyticsConfigurationToken === tokens.analyticsConfigurationToken
    ) {
      return;
    }
    if (existing) await this.removeCamera(camera.cameraId);
    const stream = new CameraStream({
      cameraId: camera.cameraId,
      name: camera.name,
      url: camera.url,
      ...tokens,
      logger: this.log.child({ camera: camera.cameraId }),
      lingerSeconds: this.options.lingerSeconds ?? 10,
      ffmpegPath: this.options.ffmpegPath,
      maxPayloadSize: this.options.maxPayloadSize,
    });
    this.streams.set(camera.cameraId, stream);
    this.server?.mount(this.rtspPath(camera.cameraId), stream.media());
    this.log.info({ camera: camera.cameraId, path: this.rtspPath(camera.cameraId) }, 'serving camera video and metadata');
  }

  async removeCamera(cameraId: string): Promise<void> {
    const stream = this.streams.get(cameraId);
    if (!stream) return;
    this.streams.delete(cameraId);
    this.server?.unmount(this.rtspPath(cameraId));
    await stream.close();
    this.log.info({ camera: cameraId }, 'stopped serving camera');
  }

  publish(frame: MetadataFrame): void {
    const stream = this.streams.get(frame.cameraId);
    if (!stream) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.log.debug({ camera: frame.cameraId, dropped: this.dropped }, 'analysed frame of a camera that is not served: not streamed');
      return;
    }
    try {
      if (stream.publish(frame, this.metadataOptions(frame.cameraId), (this.options.captureDelaySeconds ?? 0) * 1000)) this.metrics?.documents.inc({ camera: frame.cameraId });
    } catch (error) {
      // A frame that cannot be serialised (a bad label character is escaped, so this is a bug) costs one document, never the stream.
      this.log.error({ err: error, camera: frame.cameraId, sequence: frame.sequence }, 'cannot build the metadata document of a frame');
    }
  }

  synchronize(cameraId: string): void {
    const stream = this.streams.get(cameraId);
    if (!stream) throw new CameraStreamUnknownError(cameraId);
    this.keepAliveOf(stream, true);
  }

  private keepAlive(): void {
    for (const stream of this.streams.values()) this.keepAliveOf(stream, false);
  }

  private keepAliveOf(stream: CameraStream, force: boolean): void {
    try {
      const o = this.options;
      if (stream.keepAlive(this.metadataOptions(stream.cameraId), (o.captureDelaySeconds ?? 0) * 1000, (o.keepAliveSeconds ?? 1) * 1000, (o.staleSeconds ?? 5) * 1000, force)) {
        this.metrics?.documents.inc({ camera: stream.cameraId });
      }
    } catch (error) {
      this.log.error({ err: error, camera: stream.cameraId }, 'cannot send the keep-alive metadata document');
    }
  }

  setMetadataOptions(cameraId: string, options: Partial<MetadataOptions>): MetadataOptions {
    if (!this.streams.has(cameraId)) throw new CameraStreamUnknownError(cameraId);
    const next = { ...this.metadataOptions(cameraId), ...definedOnly(options) };
    this.settings.set(cameraId, next);
    this.log.info({ camera: cameraId, analytics: next.analytics, events: next.events, eventTopics: next.eventTopics?.length ?? 0 }, 'metadata configuration changed');
    return { ...next };
  }

  metadataOptions(cameraId: string): MetadataOptions {
    const stored = { ...(this.settings.get(cameraId) ?? this.defaults) };
    const live = this.options.settings?.(cameraId);
    return live ? { ...stored, ...definedOnly(live) } : stored;
  }

  cameras(): StreamStats[] {
    return [...this.streams.values()].map((s) => ({
      cameraId: s.cameraId,
      path: this.rtspPath(s.cameraId),
      metadata: this.metadataOptions(s.cameraId),
      metadataClients: s.metadataClients,
      documentsSent: s.documentsSent,
      lastDocumentAt: s.lastDocumentAt === undefined ? undefined : new Date(s.lastDocumentAt).toISOString(),
    }));
  }
}

function definedOnly(options: Partial<MetadataOptions>): Partial<MetadataOptions> {
  const out: Partial<MetadataOptions> = {};
  if (typeof options.analytics === 'boolean') out.analytics = options.analytics;
  if (typeof options.events === 'boolean') out.events = options.events;
  const topics = options.eventTopics;
  if (topics !== undefined) out.eventTopics = topics.map((p) => ({ uri: p.uri, path: [...p.path], subtree: p.subtree }));
  return out;
}
