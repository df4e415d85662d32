import type { Command } from 'commander';
import { startVigie } from '../../app/index.js';
import { commandContext } from '../context.js';
import { untilSignal } from '../until-signal.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the bridge with a configuration file until stopped (Ctrl-C)')
    .option('-c, --config <file>', 'configuration file (default: VIGIE_CONFIG, then ./vigie.yaml)')
    .action(async (options: { config?: string }) => {
      const { config, file, logger } = await commandContext(options.config);
      const vigie = await startVigie({ config, logger, configFile: file });
      // Listen for Ctrl-C before saying we run: a signal sent as soon as the lines appear must stop us cleanly.
      const stopSignal = untilSignal();
      for (const line of vigie.describe()) process.stderr.write(`  ${line}\n`);
      const signal = await stopSignal;
      logger.info({ signal }, 'stopping');
      await vigie.stop();
    });
}
