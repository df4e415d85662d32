import { DigestServer, staticCredentials } from '../auth/index.js';
import { followCameras, type CameraRegistry } from '../cameras/index.js';
import type { VigieConfig } from '../config/index.js';
import type { DeviceBackend } from '../device/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import { createMetadataStreamer, type MetadataOptions, type MetadataStreamer } from '../metadata/index.js';

/** Realm of Vigie's own Digest challenges (RTSP here; the ONVIF device services use the same users). */
export const VIGIE_REALM = 'Vigie';

export interface MetadataStreamHandle {
  streamer: MetadataStreamer;
  stop(): Promise<void>;
}

/**
 * Vigie's RTSP server for VMSs (`server.rtspPort`): every camera the registry has online is served at
 * `<metadataStream.pathPrefix>/<id>` (its analysed stream passed through, plus the ONVIF metadata track), behind
 * RTSP Digest with `server.users` (none: every request is refused). Analysed frames reach it through
 * `streamer.publish(frame)` (the analytics hub's onFrame).
 */
export async function startMetadataStream(
  config: VigieConfig,
  registry: CameraRegistry,
  logger: Logger,
  metrics?: Registry,
  /** The metadata configuration ONVIF clients set per camera (the device's `metadataSettings`), read at each document. */
  settings?: (cameraId: string) => Partial<MetadataOptions> | undefined,
): Promise<MetadataStreamHandle> {
  const streamer = createMetadataStreamer({
    host: config.server.host,
    port: config.server.rtspPort,
    logger,
    auth: new DigestServer({ realm: VIGIE_REALM, credentials: staticCredentials(config.server.users.map((u) => ({ username: u.username, password: u.password }))) }),
    pathPrefix: config.metadataStream.pathPrefix,
    defaults: { analytics: config.metadataStream.analytics, events: config.metadataStream.events },
    lingerSeconds: config.metadataStream.sourceLingerSeconds,
    captureDelaySeconds: config.metadataStream.captureDelaySeconds,
    metrics,
    settings,
  });
  await streamer.start();
  const follower = followCameras(
    registry,
    {
      start: async (camera) => {
        if (camera.stream) await streamer.addCamera({ cameraId: camera.id, name: camera.name || camera.id, url: camera.stream.url });
      },
      stop: (cameraId) => streamer.removeCamera(cameraId),
    },
    logger,
  );
  return {
    streamer,
    async stop() {
      await follower.close();
      await streamer.stop();
    },
  };
}

/**
 * The ONVIF device's backend, told about the RTSP server: its bound port, each camera's path on it, and
 * SetSynchronizationPoint (a new metadata document at once). `streamer` is read at each call (it starts after the
 * device is built); before it exists the configured port and paths stand.
 */
export function withMetadataStream(backend: DeviceBackend, streamer: () => MetadataStreamer | undefined): DeviceBackend {
  return {
    ...backend,
    videoSources: () => {
      const s = streamer();
      return backend.videoSources().map((v) => (s ? { ...v, rtspPath: s.rtspPath(v.cameraId) } : v));
    },
    rtspPort: () => streamer()?.port || backend.rtspPort(),
    synchronize: (cameraId) => {
      const s = streamer();
      if (s && s.cameras().some((c) => c.cameraId === cameraId)) s.synchronize(cameraId);
      backend.synchronize?.(cameraId);
    },
  };
}
