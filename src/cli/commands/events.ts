import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { analyticsEventSchema, discardDeadLetters, replayDeadLetters, startDelivery } from '../../publish/index.js';
import type { AnalyticsEvent } from '../../sdk/index.js';
import { openStore, type DeadLetter } from '../../store/index.js';
import { vigieVersion } from '../../app/index.js';
import { commandContext } from '../context.js';

interface SelectionOptions {
  output?: string;
  all?: boolean;
  by?: string;
  config?: string;
}

export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('events recorded by Vigie and their delivery to the outputs');

  const dead = events
    .command('dead-letter')
    .description('events an output could not deliver after its attempts (or that the VMS refused): list, replay, discard');

  dead
    .command('list')
    .description('list dead letters: outbox id, output, event, camera, type, attempts, since, last error')
    .option('--output <name>', 'only this output')
    .option('--json', 'one JSON object per line')
    .option('-c, --config <file>', 'configuration file (for the database path)')
    .action(async (options: { output?: string; json?: boolean; config?: string }) => {
      const { config } = await commandContext(options.config);
      const store = openStore(config.store);
      try {
        const letters = store.delivery.listDeadLetters({ output: options.output, limit: 100_000 });
        if (options.json) {
          for (const l of letters) process.stdout.write(`${JSON.stringify(deadLetterJson(l))}\n`);
          return;
        }
        if (letters.length === 0) {
          process.stdout.write(`no dead letters${options.output ? ` for output ${options.output}` : ''}\n`);
          return;
        }
        process.stdout.write('id\toutput\tevent\tcamera\ttype\tstate\tattempts\tdead since\tlast error\n');
        for (const l of letters) {
          process.stdout.write(
            `${l.id}\t${l.output}\t${l.eventId}\t${l.cameraId}\t${l.eventType}\t${l.eventState}\t${l.attempts}\t${new Date(l.deadAt ?? l.updatedAt).toISOString()}\t${l.lastErrorCode ?? ''}: ${l.lastError ?? ''}\n`,
          );
        }
        process.stderr.write(`${letters.length} dead letter(s); replay with \`vigie events dead-letter replay ID... | --output NAME | --all\`\n`);
      } finally {
        store.close();
      }
    });

  dead
    .command('replay')
    .argument('[ids...]', 'outbox ids from `vigie events dead-letter list`')
    .description('put dead letters back in the outbox (attempts reset): a running Vigie delivers them within delivery.pollSeconds; written to the audit log')
    .option('--output <name>', 'every dead letter of this output')
    .option('--all', 'every dead letter')
    .option('--by <name>', 'who replays them, for the audit log (default: your user name)')
    .option('-c, --config <file>', 'configuration file (for the database path)')
    .action(async (ids: string[], options: SelectionOptions) => {
      const selection = select(ids, options);
      const { config } = await commandContext(options.config);
      const store = openStore(config.store);
      try {
        const replayed = replayDeadLetters(store, selection);
        process.stdout.write(`replayed ${replayed.length} dead letter(s)${replayed.length ? `: ${summarise(replayed.map((r) => r.output))}` : ''}\n`);
        if (replayed.length === 0) process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  dead
    .command('discard')
    .argument('[ids...]', 'outbox ids from `vigie events dead-letter list`')
    .description('remove dead letters for good (the event record stays); written to the audit log')
    .option('--output <name>', 'every dead letter of this output')
    .option('--all', 'every dead letter')
    .option('--by <name>', 'who discards them, for the audit log (default: your user name)')
    .option('-c, --config <file>', 'configuration file (for the database path)')
    .action(async (ids: string[], options: SelectionOptions) => {
      const selection = select(ids, options);
      const { config } = await commandContext(options.config);
      const store = openStore(config.store);
      try {
        const discarded = discardDeadLetters(store, selection);
        process.stdout.write(`discarded ${discarded.length} dead letter(s)\n`);
        if (discarded.length === 0) process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  events
    .command('publish')
    .argument('<file>', 'JSON lines of events (AnalyticsEvent, as `vigie run --events` writes them); - = standard input')
    .description('record events and queue them for the matching outputs (e.g. to rehearse a VMS set-up); a running Vigie delivers them')
    .option('--by <name>', 'who publishes them, for the audit log (default: your user name)')
    .option('-c, --config <file>', 'configuration file (outputs and database path)')
    .action(async (file: string, options: { by?: string; config?: string }) => {
      const { config, file: configFile, logger } = await commandContext(options.config);
      const store = openStore(config.store);
      // Dispatchers would deliver here and race the running Vigie: this process only records and queues.
      const delivery = await startDelivery({
        config,
        store,
        logger,
        version: vigieVersion(),
        configFile,
        dispatch: false,
      }).catch((error: unknown) => {
        store.close();
        throw error;
      });
      const by = options.by ?? userInfo().username;
      let published = 0;
      let duplicates = 0;
      let line = 0;
      try {
        const input = file === '-' ? process.stdin : createReadStream(file, 'utf8');
        for await (const text of createInterface({ input, crlfDelay: Infinity })) {
          line++;
          if (!text.trim()) continue;
          let event: AnalyticsEvent;
          try {
            event = JSON.parse(text) as AnalyticsEvent;
          } catch {
            throw new UsageError(`${file}:${line}: not JSON`, 'one AnalyticsEvent JSON object per line');
          }
          const checked = analyticsEventSchema.safeParse(event);
          if (!checked.success) {
            throw new UsageError(`${file}:${line}: not an AnalyticsEvent: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'see the AnalyticsEvent type in src/sdk');
          }
          const receipt = await delivery.events.publish(event);
          if (receipt.duplicate) duplicates++;
          else {
            published++;
            store.audit.append({ actor: by, action: 'event.published', object: event.id, details: { source: file === '-' ? 'stdin' : file, outputs: receipt.outputs } });
          }
        }
      } finally {
        await delivery.stop();
        store.close();
      }
      process.stdout.write(`published ${published} event(s)${duplicates ? `, ${duplicates} already known` : ''}\n`);
    });
}

function select(ids: string[], options: SelectionOptions): { ids?: number[]; output?: string; by: string } {
  const numbers = ids.map((id) => {
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`not an outbox id: ${id}`, 'use the numbers in the first column of `vigie events dead-letter list`');
    return n;
  });
  if (numbers.length === 0 && !options.output && !options.all) {
    throw new UsageError('say which dead letters: ids, --output NAME, or --all', 'see `vigie events dead-letter list`');
  }
  return { ids: numbers, output: options.output, by: options.by ?? userInfo().username };
}

function summarise(outputs: string[]): string {
  const counts = new Map<string, number>();
  for (const o of outputs) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${n} for ${o}`).join(', ');
}

function deadLetterJson(l: DeadLetter): Record<string, unknown> {
  return {
    id: l.id,
    output: l.output,
    eventId: l.eventId,
    cameraId: l.cameraId,
    type: l.eventType,
    state: l.eventState,
    frameTime: l.frameTime,
    attempts: l.attempts,
    replays: l.replays,
    deadAt: new Date(l.deadAt ?? l.updatedAt).toISOString(),
    errorCode: l.lastErrorCode ?? null,
    error: l.lastError ?? null,
  };
}
