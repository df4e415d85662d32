import { Command } from 'commander';
import { registerAssetCommands } from './commands/assets.js';
import { registerCamerasCommands } from './commands/cameras.js';
import { registerConfigCommands } from './commands/config.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDiscoverCommand } from './commands/discover.js';
import { registerProbeCommand } from './commands/probe.js';
import { registerEventsCommands } from './commands/events.js';
import { registerOutputsCommands } from './commands/outputs.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerWorkerCommand } from './commands/worker.js';

/** The `vigie` command line: one register function per command group. */
export function buildProgram(): Command {
  const program = new Command('vigie')
    .description('Vigie: ONVIF analytics bridge for video management systems')
    .showHelpAfterError('(run `vigie help` or `vigie <command> --help` for usage)');
  registerDemoCommand(program);
  registerRunCommand(program);
  registerWorkerCommand(program);
  registerConfigCommands(program);
  registerAssetCommands(program);
  registerEventsCommands(program);
  registerOutputsCommands(program);
  registerSimulateCommand(program);
  registerDiscoverCommand(program);
  registerProbeCommand(program);
  registerCamerasCommands(program);
  return program;
}
