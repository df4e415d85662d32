import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { startVigie } from '../../app/index.js';
import { loadManifests, verifyAsset } from '../../assets/index.js';
import { AssetMissingError } from '../../errors/index.js';
import { ruleSchema } from '../../config/index.js';
import { startLiveSummary } from '../../pipeline/index.js';
import { startSimulator } from '../../simulator/index.js';
import { commandContext } from '../context.js';
import { untilSignal } from '../until-signal.js';
import { DEMO_RULES, eventLine } from './demo-rules.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the embedded demo (what `npm start` runs): a simulated camera on the sample clip, the bridge analysing it, a live line per second of what it sees')
    .option('-c, --config <file>', 'configuration file (default: VIGIE_CONFIG, then ./vigie.yaml, else defaults)')
    .option('--port <port>', 'HTTP port', (v) => Number.parseInt(v, 10))
    .option('--no-live', 'no live line per second')
    .action(async (options: { config?: string; port?: number; live: boolean }) => {
      const { config, file, logger } = await commandContext(options.config);
      if (options.port !== undefined) config.server.port = options.port;
      if (options.port === 0) config.server.rtspPort = 0; // any free ports: the RTSP server too
      const manifests = await loadManifests(config.models.manifestDir);
      const model = manifests.find((m) => m.id === config.inference.model);
      const clip = manifests.find((m) => m.kind === 'video');
      const checked = [];
      let clipPath: string | undefined;
      for (const manifest of [model, clip]) {
        if (!manifest) continue;
        const verified = await verifyAsset(config.models.assetDir, manifest);
        if (manifest === clip) clipPath = verified.path;
        checked.push(`${manifest.id}: ${verified.path} (sha256 ${verified.sha256.slice(0, 12)}…, ${verified.build.origin})`);
      }
      if (!clipPath) throw new AssetMissingError('sample clip', `${config.models.assetDir}/video`);
      // The demo is the embedded mode: one process, no Redis.
      config.queue.redisUrl = '';
      const password = randomBytes(9).toString('base64url');
      const simulator = await startSimulator({ logger: logger.child({ component: 'simulator' }), cameras: 1, video: clipPath, httpPort: 0, rtspPort: 0, discovery: false, user: 'demo', password, namePrefix: 'Demo camera' });
      const camera = simulator.cameras[0]!;
      const url = new URL(camera.rtsp.main);
      url.username = 'demo';
      url.password = password;
      // the default walkway zone and counting line on the sample clip (docs/hand-count.md)
      config.cameras.push({ id: 'demo-camera', name: camera.name, enabled: true, rtsp: url.toString(), rules: ruleSchema.array().parse(DEMO_RULES) });
      let vigie;
      try {
        vigie = await startVigie({ config, logger, configFile: file });
      } catch (error) {
        await simulator.stop();
        throw error;
      }
      // Listen for Ctrl-C before saying we run: a signal sent as soon as the lines appear must stop us cleanly.
      const stopSignal = untilSignal();
      const out = process.stderr;
      out.write('Vigie demo running. Components:\n');
      out.write(`  - simulated camera "${camera.name}" streaming the sample clip at ${camera.rtsp.main}\n`);
      for (const line of vigie.describe()) out.write(`  - ${line}\n`);
      for (const line of checked) out.write(`  - asset verified: ${line}\n`);
      out.write('Rules on the demo camera: intrusion zone "walkway" over the walkway, counting line "walkway-line" across it (docs/hand-count.md); each event is printed below.\n');
      out.write(`Try: curl http://127.0.0.1:${vigie.http.port}/metrics   Stop with Ctrl-C.\n`);
      const offEvents = vigie.analytics.onEvent((e) => process.stdout.write(`${eventLine(e)}\n`));
      const live = vigie.pipeline && options.live ? startLiveSummary(vigie.pipeline, (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`), 1000, config.tracking.highScore) : undefined;
      const signal = await stopSignal;
      logger.info({ signal }, 'stopping');
      live?.stop();
      offEvents();
      await vigie.stop();
      await simulator.stop();
    });
}
