import type { Command } from 'commander';
import { type z } from 'zod';
import { vigieVersion } from '../../app/index.js';
import { outputName } from '../../config/index.js';
import { checkOutputs, PluginRegistry } from '../../publish/index.js';
import { openStore } from '../../store/index.js';
import { commandContext } from '../context.js';

export function registerOutputsCommands(program: Command): void {
  const outputs = program.command('outputs').description('the VMSs, webhooks and MQTT brokers events are delivered to');

  outputs
    .command('types')
    .description('list the output plugins this Vigie has, with what they carry and their configuration fields')
    .option('--fields', 'also print every configuration field with its default and description')
    .option('-c, --config <file>', 'configuration file (for delivery.pluginDirs)')
    .action(async (options: { fields?: boolean; config?: string }) => {
      const { config } = await commandContext(options.config);
      const registry = PluginRegistry.discover(config.delivery.pluginDirs);
      for (const type of registry.types()) {
        const plugin = await registry.get(type);
        if (!plugin) continue;
        const m = plugin.manifest;
        process.stdout.write(`${type}\t${m.title} (v${m.version})\n  ${m.description}\n  capabilities: ${m.capabilities.join(', ') || 'the event text'}\n`);
        if (options.fields) {
          const shape = (plugin.configSchema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
          for (const [key, field] of Object.entries(shape)) {
            const parsed = field.safeParse(undefined);
            const value = parsed.success ? (parsed.data === undefined ? '(unset)' : JSON.stringify(parsed.data)) : '(required)';
            process.stdout.write(`    ${key}: ${value}  # ${(field.description ?? '').replace(/\s*\(required\)$/, '')}\n`);
          }
        }
      }
    });

  outputs
    .command('status')
    .description('per configured output: events waiting, dead letters, and the last error recorded in the outbox')
    .option('--json', 'one JSON object per output')
    .option('-c, --config <file>', 'configuration file')
    .action(async (options: { json?: boolean; config?: string }) => {
      const { config } = await commandContext(options.config);
      const store = openStore(config.store);
      try {
        const counts = store.delivery.countsByOutput();
        const names = config.outputs.map((o, i) => ({ name: outputName(o, i), type: o.type, enabled: o.enabled }));
        for (const name of counts.keys()) if (!names.some((n) => n.name === name)) names.push({ name, type: '(not configured)', enabled: false });
        for (const o of names) {
          const c = counts.get(o.name) ?? { pending: 0, dead: 0, oldestPendingAt: undefined };
          const head = store.delivery.pendingHeads(o.name, 1)[0];
          const row = {
            name: o.name,
            type: o.type,
            enabled: o.enabled,
            pending: c.pending,
            deadLetters: c.dead,
            oldestPendingAt: c.oldestPendingAt === undefined ? null : new Date(c.oldestPendingAt).toISOString(),
            lastError: head?.lastError ? `${head.lastErrorCode}: ${head.lastError}` : null,
          };
          if (options.json) process.stdout.write(`${JSON.stringify(row)}\n`);
          else
            process.stdout.write(
              `${row.name}\t${row.type}${row.enabled ? '' : ' (disabled)'}\tpending ${row.pending}\tdead letters ${row.deadLetters}${row.oldestPendingAt ? `\toldest waiting since ${row.oldestPendingAt}` : ''}${row.lastError ? `\tlast error ${row.lastError}` : ''}\n`,
            );
        }
        if (!options.json) process.stderr.write('live health (circuit, connection): GET /health on a running Vigie\n');
      } finally {
        store.close();
      }
    });

  outputs
    .command('check')
    .argument('[names...]', 'outputs to check (default: all)')
    .description('check each output can be reached with its credentials, without raising an event; exit 1 if any cannot')
    .option('-c, --config <file>', 'configuration file')
    .action(async (names: string[], options: { config?: string }) => {
      const { config, file, logger } = await commandContext(options.config);
      const results = await checkOutputs({ config, logger, version: vigieVersion(), names, configFile: file });
      for (const r of results) {
        if (r.ok) process.stdout.write(`${r.name} (${r.type}): ok: ${r.detail}\n`);
        else process.stdout.write(`${r.name} (${r.type}): FAILED [${r.error?.code}] ${r.detail}${r.error?.hint ? `\n  fix: ${r.error.hint}` : ''}\n`);
      }
      if (results.length === 0) process.stderr.write('no outputs to check\n');
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
