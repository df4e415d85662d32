import { createHash } from 'node:crypto';
import type { VigieConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createMetricsRegistry } from '../metrics/index.js';
import { startDelivery, type DeliveryService } from '../publish/index.js';
import type { EventSink, SnapshotSource } from '../sdk/index.js';
import { startHttpServer, type HttpServerHandle } from '../server/index.js';
import { canonicalJson, openStore, type Store } from '../store/index.js';
import { vigieVersion } from './version.js';

export interface VigieOptions {
  config: VigieConfig;
  logger: Logger;
  /** The configuration file, for the audit log. */
  configFile: string | undefined;
  /** Where delivery plugins read evidence snapshots (the events stage's evidence store, when it exists). */
  snapshots?: SnapshotSource;
}

export interface VigieHandle {
  http: HttpServerHandle;
  store: Store;
  /** Event delivery to the configured outputs. */
  delivery: DeliveryService;
  /** Where events are published: durable once publish() resolves. */
  events: EventSink;
  /** One line per running component, for the console. */
  describe(): string[];
  stop(): Promise<void>;
}

/**
 * The composition root: the only place that builds and wires the concrete stages. It starts what this build
 * has, in dependency order, and stops it in reverse.
 */
export async function startVigie(options: VigieOptions): Promise<VigieHandle> {
  const { config, logger } = options;
  const started = new Date();
  const store = openStore(config.store);
  const configHash = createHash('sha256').update(canonicalJson(config)).digest('hex');
  store.audit.append({ actor: 'system', action: 'service.started', object: 'vigie', details: { configFile: options.configFile ?? null, configSha256: configHash, mode: config.rules.mode } });

  const metrics = createMetricsRegistry();
  let delivery: DeliveryService;
  try {
    delivery = await startDelivery({ config, store, logger, version: vigieVersion(), configFile: options.configFile, databasePath: config.store.path, metrics, snapshots: options.snapshots });
  } catch (error) {
    store.close();
    throw error;
  }
  let http: HttpServerHandle;
  try {
    http = await startHttpServer({
      host: config.server.host,
      port: config.server.port,
      logger: logger.child({ component: 'http' }),
      metrics,
      health: () => {
        const outputs = delivery.health();
        const degraded = outputs.some((o) => !['ok', 'starting', 'disabled'].includes(o.state));
        return { ...(degraded ? { status: 'degraded' } : {}), startedAt: started.toISOString(), cameras: config.cameras.length, mode: config.rules.mode, delivery: delivery.mode, outputs };
      },
    });
  } catch (error) {
    await delivery.stop();
    store.close();
    throw error;
  }
  logger.info({ port: http.port, store: config.store.path }, 'Vigie started');

  let stopped = false;
  return {
    http,
    store,
    delivery,
    events: delivery.events,
    describe: () => [
      `HTTP server on ${config.server.host}:${http.port}: /health, /metrics`,
      `state database: ${config.store.path} (audit log, hash-chained; events and delivery outbox)`,
      delivery.outputs.length > 0
        ? `delivery (${delivery.mode === 'embedded' ? 'SQLite outbox' : 'BullMQ on Redis'}) to ${delivery.outputs.map((o) => `${o.name} (${o.type}${o.enabled ? '' : ', disabled'})`).join(', ')}`
        : 'delivery: no outputs configured (events are recorded only)',
      `configuration: ${options.configFile ?? 'defaults'}, ${config.cameras.length} camera(s), mode ${config.rules.mode}`,
    ],
    async stop() {
      if (stopped) return;
      stopped = true;
      await http.close();
      await delivery.stop();
      store.audit.append({ actor: 'system', action: 'service.stopped', object: 'vigie' });
      store.close();
      logger.info('Vigie stopped');
    },
  };
}
