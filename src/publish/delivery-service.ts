import { hostname } from 'node:os';
import type { VigieConfig } from '../config/index.js';
import { ConfigError, PluginLoadError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import type { EventSink, SinkError, SnapshotSource } from '../sdk/index.js';
import type { Store } from '../store/index.js';
import { BullmqDispatcher } from './bullmq-dispatcher.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { DispatchLease } from './dispatch-lease.js';
import { EventCache } from './event-cache.js';
import { EventPublisher } from './event-publisher.js';
import { GuardedSink, type StateChange } from './guarded-sink.js';
import { NodeHttpClient } from './http/node-http-client.js';
import { OutboxDispatcher, type Dispatcher } from './outbox-dispatcher.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { createPluginContext } from './plugin-context.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { resolveOutputs, type ResolvedOutput } from './resolve-outputs.js';
import type { SinkHealth } from './sink-health.js';

export interface DeliveryOptions {
  config: Pick<VigieConfig, 'outputs' | 'delivery' | 'queue' | 'rules'>;
  store: Store;
  logger: Logger;
  /** Vigie's version, for user agents and event sources. */
  version: string;
  /** The configuration file, for error messages. */
  configFile?: string;
  /** The state database's path, for error messages. */
  databasePath?: string;
  metrics?: Registry;
  /** The evidence store, for plugins that attach snapshots. */
  snapshots?: SnapshotSource;
  /** Defaults to the built-in plugins plus config.delivery.pluginDirs. */
  registry?: PluginRegistry;
  /**
   * false: record and queue events only, deliver nothing (a command-line process beside a running Vigie, which
   * delivers what this one queues). @defaultValue true
   */
  dispatch?: boolean;
  /**
   * Write events and delivered marks on a connection of their own in a worker thread (when the database is a
   * file). @defaultValue true when dispatching
   */
  writerThread?: boolean;
  now?: () => number;
}

export interface CheckResult {
  name: string;
  type: string;
  ok: boolean;
  detail: string;
  error: SinkError | undefined;
}

/** Delivery as the application sees it. */
export interface DeliveryService {
  /** Where the rules stage hands events: durable once `publish` resolves. */
  readonly events: EventSink;
  readonly outputs: readonly ResolvedOutput[];
  /** `embedded` (SQLite outbox) or `distributed` (BullMQ on REDIS_URL). */
  readonly mode: 'embedded' | 'distributed';
  health(): SinkHealth[];
  /** Runs each output's active check (reachability, credentials) without raising an event. */
  check(names?: readonly string[]): Promise<CheckResult[]>;
  /** Look at the outbox now (e.g. after a replay in this process). */
  wake(): void;
  stop(): Promise<void>;
}

const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Builds delivery from the configuration: loads and validates every output's plugin (throwing one ConfigError that
 * lists every problem), creates each sink behind its guard, starts one dispatcher per enabled output on the SQLite
 * outbox (or BullMQ when REDIS_URL is set), and returns the EventSink the rules stage publishes to.
 */
export async function startDelivery(options: DeliveryOptions): Promise<DeliveryService> {
  const { config, store, logger } = options;
  const now = options.now ?? Date.now;
  const log = logger.child({ component: 'delivery' });
  const registry = options.registry ?? PluginRegistry.discover(config.delivery.pluginDirs);
  const { outputs, problems } = await resolveOutputs(config, registry);
  if (problems.length > 0) throw new ConfigError(options.configFile, problems);

  const instance = config.delivery.instance || hostname();
  const http = new NodeHttpClient({ timeoutSeconds: config.delivery.timeoutSeconds, userAgent: `Vigie/${options.version}` });
  const cache = new EventCache(store.delivery);
  const guarded = new Map<string, GuardedSink>();
  const dispatchers = new Map<string, Dispatcher>();
  const distributed = config.queue.redisUrl !== '';

  const countsCache = { at: 0, counts: store.delivery.countsByOutput() };
  const counts = () => {
    if (now() - countsCache.at > 250) {
      countsCache.counts = store.delivery.countsByOutput();
      countsCache.at = now();
    }
    return countsCache.counts;
  };
  const metrics = options.metrics
    ? new DeliveryMetrics(options.metrics, {
        pending: () => new Map([...counts()].map(([name, c]) => [name, c.pending])),
        up: () => new Map([...guarded].map(([name, g]) => [name, g.health.state === 'ok' || g.health.state === 'degraded' ? 1 : 0])),
      })
    : undefined;
  // The SQLite writes of the hot path go to a thread of their own, so that this one does the HTTP; a process that
  // only queues events (dispatch: false, the command line) writes in its own thread and starts none.
  const writer = store.deliveryWriter({
    thread: options.writerThread ?? options.dispatch !== false,
    onFailure: (error) => log.error({ err: error }, 'the delivery writer thread failed: writing on the main thread from now on'),
  });
  await writer.ready();
  const recorder = new OutcomeRecorder(store, writer, log, metrics, now);

  for (const output of outputs) {
    const context = createPluginContext({
      outputName: output.name,
      outputType: output.type,
      configPath: output.configPath,
      logger,
      http,
      snapshots: options.snapshots,
      version: options.version,
      instance,
    });
    let sink;
    try {
      sink = output.plugin.createSink(output.pluginConfig, context);
    } catch (cause) {
      http.close();
      void writer.close();
      throw new PluginLoadError(`plugins/${output.type}`, `createSink failed for ${output.configPath} (${output.name}): ${(cause as Error).message}`, { cause });
    }
    const onStateChange = (change: StateChange) => auditStateChange(store, output, change, log);
    guarded.set(output.name, new GuardedSink(sink, { name: output.name, type: output.type, enabled: output.enabled, policy: output.policy, logger: context.logger as Logger, onStateChange, now }));
  }

  for (const output of outputs.filter((o) => o.enabled && options.dispatch !== false)) {
    const deps = { store, output, sink: guarded.get(output.name)!, recorder, events: cache, logger: log, now };
    const dispatcher = distributed
      ? new BullmqDispatcher({ ...deps, redisUrl: config.queue.redisUrl, prefix: config.queue.prefix, nodeId: store.delivery.nodeId() })
      : new OutboxDispatcher(deps);
    dispatchers.set(output.name, dispatcher);
  }

  warnAboutOrphans(store, outputs, log);
  // one process delivers from a database at a time (a CLI process that only queues events takes no lease)
  const lease = options.dispatch === false ? undefined : new DispatchLease(store, log, options.databasePath ?? 'the state database', now);
  try {
    lease?.acquire();
  } catch (error) {
    http.close();
    await writer.close();
    throw error;
  }
  const started: Dispatcher[] = [];
  try {
    for (const dispatcher of dispatchers.values()) {
      await dispatcher.start();
      started.push(dispatcher);
    }
  } catch (error) {
    await Promise.allSettled(started.map((d) => d.stop()));
    lease?.release();
    http.close();
    await writer.close();
    throw error;
  }

  const purge = () => {
    try {
      const removed = store.delivery.purgeDelivered(now() - config.delivery.retentionDays * 86_400_000);
      if (removed.entries + removed.events > 0) log.info(removed, 'purged delivered events past retention');
    } catch (error) {
      log.warn({ err: error }, 'could not purge delivered events');
    }
  };
  purge();
  const purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
  purgeTimer.unref();

  const publisher = new EventPublisher({
    store,
    writer,
    outputs,
    mode: config.rules.mode,
    cache,
    logger: log,
    metrics,
    now,
    onQueued: (names, cameraId) => {
      for (const name of names) dispatchers.get(name)?.wake(cameraId);
    },
  });

  log.info({ outputs: outputs.map((o) => `${o.name} (${o.type}${o.enabled ? '' : ', disabled'})`), mode: distributed ? 'distributed' : 'embedded' }, 'delivery started');

  let stopped = false;
  return {
    events: publisher,
    outputs,
    mode: distributed ? 'distributed' : 'embedded',
    health: () => {
      const all = counts();
      return outputs.map((output) => {
        const g = guarded.get(output.name)!;
        const c = all.get(output.name);
        const reopens = g.breaker.reopensAt;
        const plugin = g.pluginHealth();
        // a connection-oriented plugin (MQTT, TCP) knows it lost its VMS before a delivery fails
        const state = plugin?.connected === false && (g.health.state === 'ok' || g.health.state === 'starting') && g.health.delivered + g.health.failedAttempts > 0 ? 'degraded' : g.health.state;
        return {
          name: output.name,
          type: output.type,
          state,
          circuit: g.breaker.state,
          reopensAt: reopens === undefined ? undefined : new Date(reopens).toISOString(),
          consecutiveFailures: g.breaker.consecutiveFailures,
          delivered: g.health.delivered,
          failedAttempts: g.health.failedAttempts,
          deadLettered: g.health.deadLettered,
          lastDeliveredAt: g.health.lastDeliveredAt === undefined ? undefined : new Date(g.health.lastDeliveredAt).toISOString(),
          lastError: g.health.lastError,
          plugin,
          pending: c?.pending ?? 0,
          deadLetters: c?.dead ?? 0,
          oldestPendingAt: c?.oldestPendingAt === undefined ? undefined : new Date(c.oldestPendingAt).toISOString(),
        };
      });
    },
    async check(names) {
      const wanted = outputs.filter((o) => !names || names.length === 0 || names.includes(o.name));
      return Promise.all(
        wanted.map(async (output) => {
          const result = await guarded.get(output.name)!.check();
          return result.ok
            ? { name: output.name, type: output.type, ok: true, detail: result.detail, error: undefined }
            : { name: output.name, type: output.type, ok: false, detail: result.error.message, error: result.error };
        }),
      );
    },
    wake() {
      for (const dispatcher of dispatchers.values()) dispatcher.wake();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(purgeTimer);
      await Promise.allSettled([...dispatchers.values()].map((d) => d.stop()));
      await recorder.flush();
      await writer.close();
      lease?.release();
      await Promise.allSettled([...guarded.values()].map((g) => g.stop()));
      http.close();
      log.info('delivery stopped');
    },
  };
}

function auditStateChange(store: Store, output: ResolvedOutput, change: StateChange, log: Logger): void {
  if (change.from === 'starting' && change.to === 'ok') return;
  if (change.from === 'ok' && change.to === 'degraded') return;
  try {
    store.audit.append({
      actor: 'system',
      action: 'output.state_changed',
      object: output.name,
      details: { type: output.type, from: change.from, to: change.to, ...(change.error ? { code: change.error.code, error: change.error.message } : {}) },
    });
  } catch (error) {
    log.warn({ err: error }, 'could not write the output state change to the audit log');
  }
}

function warnAboutOrphans(store: Store, outputs: readonly ResolvedOutput[], log: Logger): void {
  const known = new Set(outputs.map((o) => o.name));
  for (const [name, c] of store.delivery.countsByOutput()) {
    if (known.has(name)) continue;
    log.warn(
      { output: name, pending: c.pending, deadLetters: c.dead },
      `the outbox holds events for output "${name}", which is no longer configured: they wait until an output of that name exists again (or discard them with \`vigie events dead-letter discard --output ${name}\` once dead-lettered)`,
    );
  }
}
