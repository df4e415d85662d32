import type { Command } from 'commander';
import { openStore } from '../../store/index.js';
import { commandContext } from '../context.js';
import { table } from '../table.js';

export function registerCamerasCommands(program: Command): void {
  const cameras = program.command('cameras').description('the ONVIF cameras Vigie knows (configured and discovered), from its state database');

  cameras
    .command('list')
    .description('each camera with its state and why, its address, the profile and stream analysed (no passwords)')
    .option('-c, --config <file>', 'configuration file (store.path says where the state database is)')
    .option('--json', 'one JSON object per camera instead of a table')
    .action(async (o: { config?: string; json?: boolean }) => {
      const { config } = await commandContext(o.config);
      const store = openStore(config.store);
      try {
        const records = store.cameras.list();
        if (o.json) {
          for (const r of records) {
            const { password: _password, passwordStatus, ...rest } = r;
            process.stdout.write(`${JSON.stringify({ ...rest, passwordStored: passwordStatus !== 'none' })}\n`);
          }
          return;
        }
        if (records.length === 0) {
          process.stderr.write(`no ONVIF camera in ${config.store.path} yet: configure cameras[].onvif, or set discovery.auto and run Vigie\n`);
          return;
        }
        process.stdout.write(
          table(
            ['ID', 'STATE', 'SINCE', 'NAME', 'DEVICE', 'PROFILE', 'STREAM', 'REASON'],
            records.map((r) => [
              r.cameraId,
              r.state,
              r.stateSince.replace(/\.\d+Z$/, 'Z'),
              r.name,
              r.xaddr,
              r.profileToken ? `${r.profileToken}${r.width && r.height ? ` ${r.width}x${r.height}` : ''}` : '-',
              r.streamUri ?? '-',
              (r.stateReason ?? '').split('; fix:')[0]!.slice(0, 120),
            ]),
          ),
        );
      } finally {
        store.close();
      }
    });
}
