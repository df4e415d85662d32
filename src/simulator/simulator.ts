import { networkInterfaces } from 'node:os';
import { DiscoveryResponder } from '../discovery/index.js';
import { UsageError } from '../errors/index.js';
import { silentLogger, type Logger } from '../logging/index.js';
import { SimulatedCamera, type SimulatedCameraInfo } from './camera.js';
import { simulatorOptionsSchema, type SimulatorOptions, type SimulatorOptionsInput } from './options.js';
import { ensureSubStream } from './sub-stream.js';
import { preloaded } from './preload.js';
import { probeVideo } from './video-file.js';

export interface SimulatorHandle {
  cameras: SimulatedCameraInfo[];
  options: SimulatorOptions;
  /** RTSP sessions open now, per camera (index 0 = camera 1). */
  rtspSessions(): number[];
  /** Sends Bye, ends RTSP sessions, stops the HTTP servers and the ffmpeg sources (in stages). Idempotent. */
  stop(): Promise<void>;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function firstExternalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  return undefined;
}

/**
 * Starts N simulated ONVIF cameras in this process (the programmatic form of `vigie simulate`). Camera i listens
 * on httpPort + i - 1 and rtspPort + i - 1 (each on a free port when the base is 0). The sub stream is transcoded
 * once and cached. Resolves when every camera listens and Hello was sent.
 */
export async function startSimulator(input: SimulatorOptionsInput & { logger?: Logger }): Promise<SimulatorHandle> {
  const { logger: given, ...rest } = input;
  const parsed = simulatorOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    throw new UsageError(`invalid simulator options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`, 'run `vigie simulate --help` for the options and their ranges');
  }
  const options = parsed.data;
  const logger = given ?? silentLogger();
  for (const [name, base] of [['--http-port', options.httpPort], ['--rtsp-port', options.rtspPort]] as const) {
    if (base !== 0 && base + options.cameras - 1 > 65535) throw new UsageError(`${name} ${base} leaves no room for ${options.cameras} cameras (ports above 65535)`, `choose a lower ${name}, or 0 for free ports`);
  }
  const discoveryAddress = options.discoveryAddress ?? (isWildcard(options.host) ? firstExternalIPv4() : options.host);
  if (options.discovery && !discoveryAddress) throw new UsageError('WS-Discovery needs an interface address', 'pass --discovery-address ADDR, or --no-discovery');

  const main = await probeVideo(options.video);
  const sub = await ensureSubStream(main, { fps: options.subStreamFps, maxWidth: options.subStreamMaxWidth }, options.cacheDir, logger);
  const clips = { main: await preloaded(main, options), sub: await preloaded(sub, options) };
  const advertised = isWildcard(options.host) ? (discoveryAddress ?? '127.0.0.1') : options.host;

  const cameras: SimulatedCamera[] = [];
  let responder: DiscoveryResponder | undefined;
  const stopAll = async () => {
    await responder?.stop();
    responder = undefined;
    await Promise.all(cameras.map((c) => c.stop()));
  };
  try {
    for (let i = 1; i <= options.cameras; i += 1) {
      const httpPort = options.httpPort === 0 ? 0 : options.httpPort + i - 1;
      const rtspPort = options.rtspPort === 0 ? 0 : options.rtspPort + i - 1;
      const camera = new SimulatedCamera(i, options, { main, sub }, clips, logger, advertised);
      cameras.push(camera);
      await camera.start(httpPort, rtspPort);
    }
    if (options.discovery && discoveryAddress) {
      responder = new DiscoveryResponder({
        interfaceAddress: discoveryAddress,
        logger: logger.child({ component: 'ws-discovery' }),
        targets: () => cameras.map((c) => c.discoveryTarget(advertised)),
        maxReplyDelayMs: options.discoveryReplyDelayMs,
        port: options.discoveryPort,
      });
      await responder.start();
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  logger.info({ cameras: options.cameras, auth: options.auth, video: main.path, main: `${main.width}x${main.height}@${main.fps}`, sub: `${sub.width}x${sub.height}@${sub.fps}` }, 'simulated cameras running');

  let stopping: Promise<void> | undefined;
  return {
    cameras: cameras.map((c) => c.info(advertised)),
    options,
    rtspSessions: () => cameras.map((c) => c.rtspSessions),
    stop: () => {
      stopping ??= stopAll().then(() => logger.info('simulated cameras stopped'));
      return stopping;
    },
  };
}
