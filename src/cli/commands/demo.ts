import type { Command } from 'commander';
import { startVigie } from '../../app/index.js';
import { loadManifests, verifyAsset } from '../../assets/index.js';
import { commandContext } from '../context.js';
import { untilSignal } from '../until-signal.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the embedded demo (what `npm start` runs): checks the assets and starts the bridge with what this build has')
    .option('-c, --config <file>', 'configuration file (default: VIGIE_CONFIG, then ./vigie.yaml, else defaults)')
    .option('--port <port>', 'HTTP port', (v) => Number.parseInt(v, 10))
    .action(async (options: { config?: string; port?: number }) => {
      const { config, file, logger } = await commandContext(options.config);
      if (options.port !== undefined) config.server.port = options.port;
      const manifests = await loadManifests(config.models.manifestDir);
      const model = manifests.find((m) => m.id === config.inference.model);
      const clip = manifests.find((m) => m.kind === 'video');
      const checked = [];
      for (const manifest of [model, clip]) {
        if (!manifest) continue;
        const verified = await verifyAsset(config.models.assetDir, manifest);
        checked.push(`${manifest.id}: ${verified.path} (sha256 ${verified.sha256.slice(0, 12)}…, ${verified.build.origin})`);
      }
      const vigie = await startVigie({ config, logger, configFile: file });
      const out = process.stderr;
      out.write('Vigie demo running. Components:\n');
      for (const line of vigie.describe()) out.write(`  - ${line}\n`);
      for (const line of checked) out.write(`  - asset verified: ${line}\n`);
      out.write('Not in this build yet: video analysis, events (they arrive with the pipeline stages). Simulated cameras: `vigie simulate`.\n');
      out.write(`Try: curl http://127.0.0.1:${vigie.http.port}/health   Stop with Ctrl-C.\n`);
      const signal = await untilSignal();
      logger.info({ signal }, 'stopping');
      await vigie.stop();
    });
}
