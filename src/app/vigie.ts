import { createHash } from 'node:crypto';
import type { VigieConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createMetricsRegistry } from '../metrics/index.js';
import { startHttpServer, type HttpServerHandle } from '../server/index.js';
import { canonicalJson, openStore, type Store } from '../store/index.js';

export interface VigieOptions {
  config: VigieConfig;
  logger: Logger;
  /** The configuration file, for the audit log. */
  configFile: string | undefined;
}

export interface VigieHandle {
  http: HttpServerHandle;
  store: Store;
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
  let http: HttpServerHandle;
  try {
    http = await startHttpServer({
      host: config.server.host,
      port: config.server.port,
      logger: logger.child({ component: 'http' }),
      metrics,
      health: () => ({ startedAt: started.toISOString(), cameras: config.cameras.length, mode: config.rules.mode }),
    });
  } catch (error) {
    store.close();
    throw error;
  }
  logger.info({ port: http.port, store: config.store.path }, 'Vigie started');

  let stopped = false;
  return {
    http,
    store,
    describe: () => [
      `HTTP server on ${config.server.host}:${http.port}: /health, /metrics`,
      `state database: ${config.store.path} (audit log, hash-chained)`,
      `configuration: ${options.configFile ?? 'defaults'}, ${config.cameras.length} camera(s), mode ${config.rules.mode}`,
    ],
    async stop() {
      if (stopped) return;
      stopped = true;
      await http.close();
      store.audit.append({ actor: 'system', action: 'service.stopped', object: 'vigie' });
      store.close();
      logger.info('Vigie stopped');
    },
  };
}
