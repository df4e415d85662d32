import { createHash } from 'node:crypto';
import { CameraManager, CameraRegistry, followCameras, type CameraFollower } from '../cameras/index.js';
import type { RuleConfig, VigieConfig } from '../config/index.js';
import { createOnvifDevice, type OnvifDevice } from '../device/index.js';
import { DiscoveryMonitor, expandTargets, resolveInterfaces } from '../discovery/index.js';
import { isVigieError } from '../errors/index.js';
import { openDetector, type Detector } from '../inference/index.js';
import { CameraIngest, resolveIngestSettings } from '../ingest/index.js';
import type { Logger } from '../logging/index.js';
import { createMetricsRegistry, type Registry } from '../metrics/index.js';
import { loadVendorProfiles } from '../onvif/index.js';
import { startPipeline, type Pipeline } from '../pipeline/index.js';
import { startDelivery, type DeliveryService } from '../publish/index.js';
import type { AnalyticsHub } from '../analytics/index.js';
import type { AnalyticsEvent, EventSink, SnapshotSource } from '../sdk/index.js';
import { startHttpServer, type HttpServerHandle } from '../server/index.js';
import { canonicalJson, openStore, SecretBox, type Store } from '../store/index.js';
import { lateSnapshots, startAnalyticsStage, type AnalyticsStage } from './analytics-stage.js';
import type { MetadataStreamer } from '../metadata/index.js';
import { startMetadataStream, withMetadataStream, type MetadataStreamHandle } from './metadata-stream.js';
import { interimDeviceBackend } from './device-backend.js';
import { modelInputFormat, modelInputSize } from './model-input.js';
import { vigieVersion } from './version.js';

export interface VigieOptions {
  config: VigieConfig;
  logger: Logger;
  /** The configuration file, for the audit log. */
  configFile: string | undefined;
  /** Where delivery plugins read evidence snapshots (the events stage's evidence store, when it exists). */
  snapshots?: SnapshotSource;
  /** Also write every event as a JSON line to this file (`-`: standard output). */
  eventsFile?: string;
  /** Where VIGIE_SECRET_KEY is read. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
}

export interface VigieHandle {
  http: HttpServerHandle;
  store: Store;
  /**
   * Every camera and its state: configured RTSP cameras, configured ONVIF cameras once onboarded, cameras found by
   * discovery. Subscribe to `online` / `offline` to start and stop analysis per camera.
   */
  cameras: CameraRegistry;
  /** Event delivery to the configured outputs. */
  delivery: DeliveryService;
  /** Where events are published: durable once publish() resolves. */
  events: EventSink;
  /** Tracking, rules and events (contracts.md §4): feed it detections with `analytics.process`. */
  analytics: AnalyticsHub;
  /** Vigie's RTSP server for VMSs: each online camera's video and ONVIF metadata track; feed it analysed frames. */
  metadata: MetadataStreamer;
  /**
   * The analytics pipeline: every online camera analysed, `onDetections` for each analysed frame (tracking and
   * rules hook here). Undefined when analysis is off (embedded mode without the model: the log says why).
   */
  pipeline: Pipeline | undefined;
  /** One line per running component, for the console. */
  describe(): string[];
  stop(): Promise<void>;
}

/**
 * The composition root: the only place that builds and wires the concrete stages. It starts what this build
 * has, in dependency order, and stops it in reverse.
 */
export async function startVigie(options: VigieOptions): Promise<VigieHandle> {
  const { config, logger } = options;
  const started = new Date();
  // A malformed key stops the start (it is a mistake to fix); a missing one only means passwords are not stored.
  const secrets = SecretBox.fromKey((options.env ?? process.env).VIGIE_SECRET_KEY);
  const store = openStore(config.store, { secrets });
  const configHash = createHash('sha256').update(canonicalJson(config)).digest('hex');
  store.audit.append({ actor: 'system', action: 'service.started', object: 'vigie', details: { configFile: options.configFile ?? null, configSha256: configHash, mode: config.rules.mode } });

  const metrics = createMetricsRegistry();
  const registry = new CameraRegistry((error, camera) => logger.error({ err: error, camera: camera.id }, 'a camera listener threw'));
  let delivery: DeliveryService;
  let analytics: AnalyticsStage | undefined;
  try {
    const snapshots = options.snapshots ?? lateSnapshots(() => analytics?.hub);
    delivery = await startDelivery({ config, store, logger, version: vigieVersion(), configFile: options.configFile, databasePath: config.store.path, metrics, snapshots });
  } catch (error) {
    store.close();
    throw error;
  }
  try {
    analytics = await startAnalyticsStage({ config, logger, store, sink: delivery.events, eventsFile: options.eventsFile });
  } catch (error) {
    await delivery.stop();
    store.close();
    throw error;
  }
  const analyticsStage = analytics;
  const hub = analyticsStage.hub;
  // The device audits ONVIF rule changes itself (with the user): the hub does not audit them a second time.
  const deviceAnalytics = {
    rules: (cameraId: string) => hub.rules(cameraId),
    setRules: (cameraId: string, rules: RuleConfig[], by?: string) => hub.setRules(cameraId, rules, { audit: false, by: by ?? 'onvif' }),
    onEvent: (listener: (e: AnalyticsEvent) => void) => hub.onEvent(listener),
    activeIncidents: (cameraId?: string) => hub.activeIncidents(cameraId),
  };
  // Vigie's RTSP server (started below); the device hands out its port and paths and asks it for sync points.
  let metadataStreamer: MetadataStreamer | undefined;
  // Vigie as an ONVIF Profile M device (device section), mounted on the same HTTP port.
  const onvif: OnvifDevice | undefined = config.device.enabled
    ? createOnvifDevice({
        config: config.device,
        users: config.server.users,
        backend: withMetadataStream(interimDeviceBackend(config, registry, store, deviceAnalytics), () => metadataStreamer),
        logger,
        publicHost: config.server.publicHost,
        version: vigieVersion(),
      })
    : undefined;
  let http: HttpServerHandle;
  try {
    http = await startHttpServer({
      host: config.server.host,
      port: config.server.port,
      logger: logger.child({ component: 'http' }),
      metrics,
      health: () => {
        const outputs = delivery.health();
        const degraded = outputs.some((o) => !['ok', 'starting', 'disabled'].includes(o.state));
        return { ...(degraded ? { status: 'degraded' } : {}), startedAt: started.toISOString(), cameras: registry.counts(), mode: config.rules.mode, delivery: delivery.mode, outputs, ...(onvif ? { onvif: onvif.subscriptionCount() } : {}) };
      },
    }, (app) => {
      if (onvif) app.use(onvif.router);
    });
    await onvif?.start({ httpPort: http.port });
  } catch (error) {
    await onvif?.stop();
    await analyticsStage.stop();
    await delivery.stop();
    store.close();
    throw error;
  }


  const onvifCameras = config.cameras.filter((c) => c.enabled && c.onvif).length;
  if (!secrets && (config.discovery.auto || onvifCameras > 0)) {
    logger.warn(
      { code: 'SECRET_KEY_MISSING' },
      'VIGIE_SECRET_KEY is not set: camera passwords are not stored, so after a restart discovered cameras are onboarded again with discovery.credentials (set 32 random bytes, e.g. `openssl rand -hex 32`, to keep them encrypted)',
    );
  }
  let metadata: MetadataStreamHandle;
  try {
    // What ONVIF clients set with SetMetadataConfiguration decides what each camera's metadata track carries.
    const settings = onvif
      ? (cameraId: string) => {
          const m = onvif.metadataSettings(cameraId);
          return m && { analytics: m.enabled && m.analytics, events: m.enabled && m.events };
        }
      : undefined;
    metadata = await startMetadataStream(config, registry, logger.child({ component: 'metadata-stream' }), metrics, settings);
    metadataStreamer = metadata.streamer;
  } catch (error) {
    await onvif?.stop();
    await analyticsStage.stop();
    await http.close();
    await delivery.stop();
    store.close();
    throw error;
  }
  let analysis: Analysis | undefined;
  try {
    analysis = await startAnalysis(config, logger, metrics, registry);
  } catch (error) {
    await metadata.stop();
    await onvif?.stop();
    await analyticsStage.stop();
    await http.close();
    await delivery.stop();
    store.close();
    throw error;
  }
  // Each analysed frame's detections (and pixels, for evidence) go to tracking, rules and events.
  if (analysis.pipeline) analyticsStage.connect(analysis.pipeline);
  // Each analysed frame's tracks and events go out on the camera's ONVIF metadata track.
  const unpublishFrames = hub.onFrame((frame) => metadata.streamer.publish(frame));

  let cameras: CameraManager | undefined;
  try {
    const monitor = config.discovery.auto
      ? new DiscoveryMonitor({
          interfaces: resolveInterfaces(config.discovery.interfaces),
          targets: await expandTargets(config.discovery.targets),
          port: config.discovery.port,
          probeTimeoutMs: config.discovery.probeTimeoutSeconds * 1000,
          probeIntervalMs: config.discovery.probeIntervalSeconds * 1000,
          logger: logger.child({ component: 'discovery' }),
          ignoreEndpoints: onvif ? [onvif.endpointReference] : [],
        })
      : undefined;
    cameras = new CameraManager({
      config,
      store,
      registry,
      logger: logger.child({ component: 'cameras' }),
      vendors: loadVendorProfiles(),
      modelInput: await modelInputSize(config, logger),
      monitor,
    });
    await cameras.start();
  } catch (error) {
    await cameras?.stop();
    await metadata.stop();
    await analysis.stop();
    await analyticsStage.stop();
    await onvif?.stop();
    await http.close();
    await delivery.stop();
    store.close();
    throw error;
  }
  logger.info({ port: http.port, store: config.store.path, cameras: registry.list().length, discovery: config.discovery.auto }, 'Vigie started');

  let stopped = false;
  return {
    http,
    store,
    cameras: registry,
    delivery,
    events: delivery.events,
    analytics: analyticsStage.hub,
    metadata: metadata.streamer,
    pipeline: analysis.pipeline,
    describe: () => [
      `HTTP server on ${config.server.host}:${http.port}: /health, /metrics${onvif ? `, ONVIF device ${config.device.path}/device_service (${onvif.endpointReference})` : ''}`,
      `RTSP server on ${config.server.host}:${metadata.streamer.port}: ${config.metadataStream.pathPrefix}/<camera id>, video passed through + ONVIF metadata track (Digest, ${config.server.users.length} user(s))`,
      `state database: ${config.store.path} (audit log, hash-chained; events and delivery outbox; camera passwords ${secrets ? 'encrypted with VIGIE_SECRET_KEY' : 'not stored: VIGIE_SECRET_KEY unset'})`,
      delivery.outputs.length > 0
        ? `delivery (${delivery.mode === 'embedded' ? 'SQLite outbox' : 'BullMQ on Redis'}) to ${delivery.outputs.map((o) => `${o.name} (${o.type}${o.enabled ? '' : ', disabled'})`).join(', ')}`
        : 'delivery: no outputs configured (events are recorded only)',
      `configuration: ${options.configFile ?? 'defaults'}, ${config.cameras.length} camera(s), mode ${config.rules.mode}`,
      config.discovery.auto
        ? `discovery: on (${config.discovery.interfaces.length ? config.discovery.interfaces.join(', ') : 'every IPv4 interface'}, port ${config.discovery.port}), ${config.discovery.credentials.length} site credential(s)`
        : 'discovery: off (discovery.auto)',
      analyticsStage.describe(),
      analysis.describe(),
    ],
    async stop() {
      if (stopped) return;
      stopped = true;
      await cameras?.stop();
      unpublishFrames();
      await metadata.stop();
      await analysis.stop();
      await analyticsStage.stop();
      await onvif?.stop();
      await http.close();
      await delivery.stop();
      store.audit.append({ actor: 'system', action: 'service.stopped', object: 'vigie' });
      store.close();
      logger.info('Vigie stopped');
    },
  };
}

interface Analysis {
  pipeline: Pipeline | undefined;
  describe(): string;
  stop(): Promise<void>;
}

/**
 * The analytics pipeline, kept in step with the camera registry (configured RTSP cameras, configured ONVIF cameras
 * once onboarded, discovered cameras). Embedded: the detector runs here; without its model the bridge still runs
 * (discovery, delivery) and says why nothing is analysed. With REDIS_URL: frames go to `vigie worker` processes.
 */
async function startAnalysis(config: VigieConfig, logger: Logger, metrics: Registry, registry: CameraRegistry): Promise<Analysis> {
  const log = logger.child({ component: 'pipeline' });
  let detector: Detector | undefined;
  if (!config.queue.redisUrl) {
    try {
      detector = await openDetector({ inference: config.inference, models: config.models, logger: logger.child({ component: 'inference' }), metrics, defaultScoreAtMost: config.tracking.lowScore });
    } catch (error) {
      if (!isVigieError(error)) throw error;
      log.error({ err: error, code: error.code, hint: error.hint }, `video analysis is off: ${error.message}${error.hint ? ` (fix: ${error.hint})` : ''}`);
      return { pipeline: undefined, describe: () => `video analysis: off (${error.code}: ${error.hint ?? error.message})`, stop: () => Promise.resolve() };
    }
  }
  let pipeline: Pipeline;
  try {
    pipeline = await startPipeline({
      config,
      logger: log,
      metrics,
      input: detector?.model.input ?? (await modelInputFormat(config, logger)),
      detector,
      createIngest: (o) => new CameraIngest({ ...o, settings: resolveIngestSettings(config.ingest, o.overrides) }),
    });
  } catch (error) {
    await detector?.close();
    throw error;
  }
  const follower: CameraFollower = followCameras(
    registry,
    {
      start: (camera) => {
        if (!camera.stream) return Promise.resolve();
        return pipeline.addCamera({ cameraId: camera.id, name: camera.name, url: camera.stream.url, width: camera.stream.width, height: camera.stream.height }, camera.config?.ingest);
      },
      stop: (cameraId) => pipeline.removeCamera(cameraId),
    },
    log,
  );
  return {
    pipeline,
    describe: () =>
      pipeline.mode === 'embedded'
        ? `video analysis: embedded (${detector?.model.id ?? config.inference.model}, ${detector?.workerCount ?? 0} inference thread(s)) of every online camera`
        : `video analysis: frames of every online camera to Redis ${pipeline.stats().transport}, analysed by \`vigie worker\` processes`,
    async stop() {
      await follower.close();
      await pipeline.stop();
      await detector?.close();
    },
  };
}
