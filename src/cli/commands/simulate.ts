import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { assetPath, loadManifests } from '../../assets/index.js';
import { UsageError } from '../../errors/index.js';
import { parseFault, parseQuirk, SIMULATOR_QUIRKS, startSimulator, type SimulatedCameraInfo } from '../../simulator/index.js';
import { commandContext } from '../context.js';
import { untilSignal } from '../until-signal.js';

interface SimulateOptions {
  config?: string;
  cameras: string;
  video?: string;
  host: string;
  httpPort: string;
  rtspPort: string;
  user: string;
  password: string;
  auth: string;
  digestAlgorithms: string;
  clockOffset: string;
  fault: string;
  dropAfter?: string;
  discovery: boolean;
  discoveryAddress?: string;
  cacheDir?: string;
  preloadMaxMb: string;
  discoveryPort: string;
  quirk: string[];
  json?: boolean;
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

function seconds(name: string, text: string, allowNegative: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || (!allowNegative && n <= 0)) throw new UsageError(`${name} must be a number of seconds${allowNegative ? '' : ' above 0'}, not "${text}"`);
  return n;
}

function line(camera: SimulatedCameraInfo): string {
  return `camera ${camera.index}  device ${camera.deviceServiceUrl}  main ${camera.rtsp.main}  sub ${camera.rtsp.sub}  endpoint ${camera.endpointReference}`;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run simulated ONVIF cameras (WS-Discovery, Device/Media/Media2, RTSP main and sub streams, snapshots) until Ctrl-C')
    .option('-c, --config <file>', 'configuration file, for the log level and the asset directory (default: VIGIE_CONFIG, then ./vigie.yaml, else defaults)')
    .option('--cameras <n>', 'number of cameras', '1')
    .option('--video <file>', 'H.264 video file the cameras stream in a loop (default: the sample clip of the asset directory)')
    .option('--host <address>', 'address to listen on and advertise; 0.0.0.0 = every interface', '127.0.0.1')
    .option('--http-port <port>', 'ONVIF HTTP port of camera 1; camera i uses port + i - 1; 0 = free ports', '8000')
    .option('--rtsp-port <port>', 'RTSP port of camera 1; camera i uses port + i - 1; 0 = free ports', '8554')
    .option('--user <name>', 'user name the cameras accept', 'admin')
    .option('--password <password>', 'password of that user', 'admin')
    .option('--auth <mode>', 'ONVIF authentication: digest, wsse (WS-UsernameToken only) or both', 'both')
    .option('--digest-algorithms <list>', 'HTTP Digest challenges offered, comma-separated: MD5, SHA-256', 'MD5')
    .option('--clock-offset <seconds>', 'run the cameras clock this many seconds ahead (negative: behind)', '0')
    .option('--fault <fault>', 'failure injected into SOAP answers: none, soap-500, malformed-xml, slow:MS', 'none')
    .option('--drop-after <seconds>', 'end every RTSP session this long after PLAY; clients may reconnect')
    .option('--no-discovery', 'do not answer WS-Discovery probes nor send Hello/Bye')
    .option('--discovery-address <address>', 'IPv4 address WS-Discovery joins and sends on (default: --host)')
    .option('--discovery-port <port>', 'WS-Discovery UDP port (3702 is the standard; another one keeps a rehearsal apart)', '3702')
    .option('--quirk <name>', `imitate a vendor behaviour; repeatable: ${Object.keys(SIMULATOR_QUIRKS).join(', ')}`, (v: string, prev: string[]) => [...prev, v], [])
    .option('--cache-dir <dir>', 'where the transcoded sub stream is cached (default: ~/.cache/vigie/simulator)')
    .option('--preload-max-mb <n>', 'play a video up to this many MiB from memory, read once for every camera; a larger one streams from disk through one ffmpeg per camera and stream; 0 = always stream', '256')
    .option('--json', 'print one JSON object per camera instead of text')
    .addHelpText(
      'after',
      '\nPorts: camera i listens on --http-port + i - 1 (ONVIF, snapshots) and --rtsp-port + i - 1 (RTSP /main and /sub).\n' +
        'Example: vigie simulate --cameras 4 --video clip.mp4 --auth digest --clock-offset 3600',
    )
    .action(async (o: SimulateOptions) => {
      const { config, logger } = await commandContext(o.config);
      const fault = parseFault(o.fault);
      if (!fault) throw new UsageError(`--fault "${o.fault}" is not one of none, soap-500, malformed-xml, slow:MS`);
      if (!['digest', 'wsse', 'both'].includes(o.auth)) throw new UsageError(`--auth "${o.auth}" is not one of digest, wsse, both`);
      const quirks = o.quirk.map((q) => {
        const quirk = parseQuirk(q);
        if (!quirk) throw new UsageError(`--quirk "${q}" is not one of ${Object.keys(SIMULATOR_QUIRKS).join(', ')}`);
        return quirk;
      });
      const algorithms = o.digestAlgorithms.split(',').map((a) => a.trim().toUpperCase());
      if (algorithms.some((a) => a !== 'MD5' && a !== 'SHA-256')) throw new UsageError(`--digest-algorithms "${o.digestAlgorithms}" may list only MD5 and SHA-256`);
      let video = o.video;
      if (!video) {
        const clip = (await loadManifests(config.models.manifestDir)).find((m) => m.kind === 'video');
        const candidate = clip ? assetPath(config.models.assetDir, clip) : undefined;
        if (!candidate || !existsSync(candidate)) {
          throw new UsageError('no --video given and the sample clip is not in the asset directory', 'pass --video FILE (an H.264 file), or run `vigie assets fetch --from DIR` to install the sample clip');
        }
        video = candidate;
      }
      const simulator = await startSimulator({
        logger,
        cameras: integer('--cameras', o.cameras, 1, 256),
        video,
        host: o.host,
        httpPort: integer('--http-port', o.httpPort, 0, 65535),
        rtspPort: integer('--rtsp-port', o.rtspPort, 0, 65535),
        user: o.user,
        password: o.password,
        auth: o.auth as 'digest' | 'wsse' | 'both',
        digestAlgorithms: algorithms as ('MD5' | 'SHA-256')[],
        clockOffsetSeconds: seconds('--clock-offset', o.clockOffset, true),
        fault,
        dropAfterSeconds: o.dropAfter === undefined ? undefined : seconds('--drop-after', o.dropAfter, false),
        discovery: o.discovery,
        discoveryAddress: o.discoveryAddress,
        discoveryPort: integer('--discovery-port', o.discoveryPort, 1, 65535),
        quirks: quirks,
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
        preloadMaxMB: integer('--preload-max-mb', o.preloadMaxMb, 0, 1_000_000),
      });
      // Listen for Ctrl-C before saying we run: a signal sent as soon as the line appears must stop us cleanly.
      const stopSignal = untilSignal();
      for (const camera of simulator.cameras) process.stdout.write(`${o.json ? JSON.stringify(camera) : line(camera)}\n`);
      process.stderr.write(`${simulator.cameras.length} simulated camera(s) running (user ${o.user}, auth ${o.auth}${o.discovery ? ', WS-Discovery on' : ''}); stop with Ctrl-C\n`);
      const signal = await stopSignal;
      logger.info({ signal }, 'stopping simulated cameras');
      await simulator.stop();
    });
}
