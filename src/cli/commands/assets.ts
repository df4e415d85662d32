import type { Command } from 'commander';
import { fetchAsset, loadManifests, verifyAsset, type AssetManifest } from '../../assets/index.js';
import { expandPath } from '../../config/index.js';
import { UsageError, isVigieError } from '../../errors/index.js';
import { reportError } from '../fail.js';
import { commandContext } from '../context.js';

export function registerAssetCommands(program: Command): void {
  const assets = program.command('assets').description('models and sample video: fetch and verify');

  assets
    .command('fetch')
    .description('fill the asset directory, verifying size and sha256 of every file')
    .option('--from <dir>', 'copy from a local directory instead of downloading (air-gapped sites)')
    .option('--mirror <url>', 'download from this base URL (files by name) instead of the manifest URLs')
    .option('--only <id...>', 'only these asset ids')
    .option('-c, --config <file>', 'configuration file')
    .action(async (options: { from?: string; mirror?: string; only?: string[]; config?: string }) => {
      const { config } = await commandContext(options.config);
      const manifests = select(await loadManifests(config.models.manifestDir), options.only);
      const mirror = options.mirror ?? config.models.mirror;
      process.stderr.write(`asset directory: ${config.models.assetDir}\n`);
      let failed = 0;
      for (const manifest of manifests) {
        try {
          const outcome = await fetchAsset(manifest, {
            assetDir: config.models.assetDir,
            from: options.from ? expandPath(options.from) : undefined,
            mirror: mirror || undefined,
          });
          process.stdout.write(`${manifest.id}: ${outcome}\n`);
        } catch (error) {
          failed++;
          reportError(error);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });

  assets
    .command('list')
    .description('show each asset and whether it is present and verified')
    .option('-c, --config <file>', 'configuration file')
    .action(async (options: { config?: string }) => {
      const { config } = await commandContext(options.config);
      let bad = 0;
      for (const manifest of await loadManifests(config.models.manifestDir)) {
        try {
          const v = await verifyAsset(config.models.assetDir, manifest);
          process.stdout.write(`${manifest.id}\t${manifest.kind}\tok\t${v.path}\t${v.build.origin}\n`);
        } catch (error) {
          bad++;
          process.stdout.write(`${manifest.id}\t${manifest.kind}\t${isVigieError(error) ? error.code : 'error'}\t${isVigieError(error) ? error.message : String(error)}\n`);
        }
      }
      if (bad > 0) process.exitCode = 1;
    });
}

function select(manifests: AssetManifest[], only: string[] | undefined): AssetManifest[] {
  if (!only || only.length === 0) return manifests;
  const unknown = only.filter((id) => !manifests.some((m) => m.id === id));
  if (unknown.length > 0) throw new UsageError(`unknown asset id: ${unknown.join(', ')}`, `known ids: ${manifests.map((m) => m.id).join(', ')}`);
  return manifests.filter((m) => only.includes(m.id));
}
