import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DigestServer, UsernameTokenVerifier, staticCredentials } from '../auth/index.js';
import type { DiscoveryTarget } from '../discovery/index.js';
import { ONVIF_TYPES } from '../discovery/index.js';
import { ListenError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { ClipH264Source, FfmpegH264Source, H264Track, RtspServer } from '../rtsp/index.js';
import { createSoapEndpoint } from '../soap/index.js';
import { advertisedHost, cameraScopes, serviceUrl, snapshotUrl, streamUrl, type CameraModel, type StreamProfile } from './camera-model.js';
import { deviceOperations } from './device-service.js';
import { cameraIdentity, type CameraIdentity } from './identity.js';
import { mediaOperations } from './media-service.js';
import { media2Operations } from './media2-service.js';
import { createOnvifAuthorizer } from './onvif-auth.js';
import type { SimulatorOptions } from './options.js';
import { createSnapshotHandler } from './snapshot-route.js';
import { faultInjector } from './soap-faults.js';
import type { ClipLoader } from './preload.js';
import type { VideoInfo } from './video-file.js';

/** What a running simulated camera offers, as printed by `vigie simulate`. */
export interface SimulatedCameraInfo {
  index: number;
  name: string;
  endpointReference: string;
  deviceServiceUrl: string;
  mediaServiceUrl: string;
  media2ServiceUrl: string;
  rtsp: { main: string; sub: string };
  snapshot: { main: string; sub: string };
  httpPort: number;
  rtspPort: number;
  user: string;
}

const REALM = 'Vigie simulated camera';

/**
 * One virtual ONVIF camera: an HTTP server with the Device, Media and Media2 services and snapshots, and an RTSP
 * server with a main stream (the file as it is) and a sub stream (the cached transcode). Nothing listens or
 * spawns before `start`.
 */
export class SimulatedCamera {
  private identityValue: CameraIdentity | undefined;
  private http: Server | undefined;
  private rtsp: RtspServer | undefined;
  private profiles: StreamProfile[] = [];
  private boundHttpPort = 0;
  private readonly log: Logger;

  constructor(
    readonly index: number,
    private readonly options: SimulatorOptions,
    private readonly videos: { main: VideoInfo; sub: VideoInfo },
    /** The streams held in memory (shared by every camera), when they are small enough; the others stream from disk. */
    private readonly clips: { main: ClipLoader | undefined; sub: ClipLoader | undefined },
    logger: Logger,
    /** Host the identity derives from, with the HTTP port (stable across restarts with the same options). */
    private readonly identityHost: string,
  ) {
    this.log = logger.child({ camera: index });
  }

  /** UUID, serial number, MAC address: derived from the host and the HTTP port, known once the camera listens. */
  get identity(): CameraIdentity {
    if (!this.identityValue) throw new Error(`camera ${this.index} is not started`);
    return this.identityValue;
  }

  get name(): string {
    return `${this.options.namePrefix} ${this.index}`;
  }

  async start(httpPort: number, rtspPort: number): Promise<void> {
    const o = this.options;
    const users = staticCredentials([{ username: o.user, password: o.password }]);
    const now = () => Date.now() + o.clockOffsetSeconds * 1000;
    const track = (label: 'main' | 'sub') => {
      const clip = this.clips[label];
      const log = this.log.child({ stream: label });
      return new H264Track({
        source: clip ? new ClipH264Source({ clip, logger: log }) : new FfmpegH264Source({ input: this.videos[label].path, logger: log }),
        logger: this.log,
        label: `camera ${this.index} ${label}`,
        lingerSeconds: o.sourceLingerSeconds,
      });
    };
    this.profiles = [
      { token: 'profile_main', name: 'MainStream', rtspPath: '/main', encoderToken: 'encoder_main', video: this.videos.main, track: track('main') },
      { token: 'profile_sub', name: 'SubStream', rtspPath: '/sub', encoderToken: 'encoder_sub', video: this.videos.sub, track: track('sub') },
    ];

    const rtsp = new RtspServer({
      host: o.host,
      port: rtspPort,
      logger: this.log.child({ component: 'rtsp' }),
      auth: new DigestServer({ realm: REALM, credentials: users }),
      sessionTimeoutSeconds: o.sessionTimeoutSeconds,
      maxSessionSeconds: o.dropAfterSeconds,
      serverName: 'Vigie simulated camera',
    });
    for (const p of this.profiles) rtsp.mount(p.rtspPath, { name: `${this.name} ${p.name}`, tracks: [p.track] });
    await rtsp.start();
    this.rtsp = rtsp;

    const model = this.model();
    const httpDigest = new DigestServer({ realm: REALM, credentials: users, algorithms: o.digestAlgorithms });
    const soap = createSoapEndpoint({
      operations: [...deviceOperations(model), ...mediaOperations(model), ...(o.quirks.includes('no-media2') ? [] : media2Operations(model))],
      logger: this.log.child({ component: 'onvif' }),
      authorize: createOnvifAuthorizer({
        mode: o.auth,
        digest: httpDigest,
        tokens: new UsernameTokenVerifier({ credentials: users, now }),
        logger: this.log,
        timeFaultReason: o.quirks.includes('wsse-time-fault') ? 'Wsse authorized time check failed.' : undefined,
      }),
      interceptReply: faultInjector(o.fault, this.log),
    });
    const snapshot = createSnapshotHandler({
      profiles: this.profiles,
      digest: httpDigest,
      logger: this.log,
      label: `camera ${this.index}`,
      delayMs: o.fault.kind === 'slow' ? o.fault.delayMs : 0,
    });
    const app = express();
    app.disable('x-powered-by');
    // The HTTP Date header tells the camera's own clock, as on a real camera (clients use it when GetSystemDateAndTime fails).
    app.use((_req, res, next) => {
      res.setHeader('Date', new Date(now()).toUTCString());
      next();
    });
    app.all(['/onvif/device_service', '/onvif/media_service', '/onvif/media2_service'], (req, res) => soap(req, res));
    app.all('/onvif/snapshot/:file', (req, res) => snapshot(req, res, String(req.params.file).replace(/\.jpe?g$/i, '')));
    app.use((_req, res) => {
      res.status(404).type('text/plain').send('not found: the ONVIF device service is /onvif/device_service\n');
    });
    const server = createServer(app);
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause: NodeJS.ErrnoException) => reject(new ListenError(`camera ${this.index} ONVIF HTTP server`, o.host, httpPort, cause)));
      server.listen(httpPort, o.host, () => {
        server.removeAllListeners('error');
        this.boundHttpPort = (server.address() as AddressInfo).port;
        this.identityValue = cameraIdentity(this.index, this.identityHost, this.boundHttpPort, o.namePrefix);
        server.on('error', (error) => this.log.error({ err: error }, 'HTTP server error'));
        server.on('clientError', (error, socket) => {
          this.log.debug({ err: error }, 'bad HTTP request');
          if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        });
        resolve();
      });
    }).catch(async (error: unknown) => {
      await this.stop();
      throw error;
    });
    this.http = server;
    this.log.debug({ http: this.boundHttpPort, rtsp: rtsp.port }, 'camera started');
  }

  /** The URLs of this camera as seen from `host` (the configured host, or the discovery address on a wildcard). */
  info(host: string): SimulatedCameraInfo {
    const model = this.model();
    const h = advertisedHost(model, host);
    const [main, sub] = this.profiles as [StreamProfile, StreamProfile];
    return {
      index: this.index,
      name: this.identity.name,
      endpointReference: this.identity.endpoint,
      deviceServiceUrl: serviceUrl(model, h, 'device'),
      mediaServiceUrl: serviceUrl(model, h, 'media'),
      media2ServiceUrl: serviceUrl(model, h, 'media2'),
      rtsp: { main: streamUrl(model, h, main), sub: streamUrl(model, h, sub) },
      snapshot: { main: snapshotUrl(model, h, main), sub: snapshotUrl(model, h, sub) },
      httpPort: this.boundHttpPort,
      rtspPort: this.rtsp?.port ?? 0,
      user: this.options.user,
    };
  }

  discoveryTarget(host: string): DiscoveryTarget {
    const model = this.model();
    return {
      endpoint: this.identity.endpoint,
      types: [ONVIF_TYPES.networkVideoTransmitter, ONVIF_TYPES.device],
      scopes: cameraScopes(model),
      xaddrs: [serviceUrl(model, advertisedHost(model, host), 'device')],
      metadataVersion: 1,
    };
  }

  /** RTSP sessions open now (for tests and the benchmark). */
  get rtspSessions(): number {
    return this.rtsp?.sessionCount ?? 0;
  }

  async stop(): Promise<void> {
    const http = this.http;
    this.http = undefined;
    const rtsp = this.rtsp;
    this.rtsp = undefined;
    await Promise.all([
      http
        ? new Promise<void>((resolve) => {
            http.close(() => resolve());
            http.closeAllConnections();
          })
        : undefined,
      rtsp?.stop(),
    ]);
    await Promise.all(this.profiles.map((p) => p.track.close()));
  }

  private model(): CameraModel {
    const identity = () => this.identity;
    return {
      get identity() {
        return identity();
      },
      options: this.options,
      main: this.videos.main,
      profiles: this.profiles,
      now: () => Date.now() + this.options.clockOffsetSeconds * 1000,
      httpPort: () => this.boundHttpPort,
      rtspPort: () => this.rtsp?.port ?? 0,
    };
  }
}
