import { pluginLogger, type Logger } from '../logging/index.js';
import type { HttpClient, PluginContext, SnapshotSource } from '../sdk/index.js';

export interface PluginContextOptions {
  outputName: string;
  outputType: string;
  configPath: string;
  logger: Logger;
  http: HttpClient;
  snapshots: SnapshotSource | undefined;
  version: string;
  instance: string;
}

/** The context one output's plugin gets: its logger, the shared HTTP client, snapshot access, Vigie's identity. */
export function createPluginContext(options: PluginContextOptions): PluginContext {
  const logger = pluginLogger(options.logger, options.outputType).child({ output: options.outputName });
  return {
    outputName: options.outputName,
    configPath: options.configPath,
    logger,
    http: options.http,
    vigie: { version: options.version, instance: options.instance },
    async loadSnapshot(snapshotId: string): Promise<Uint8Array | undefined> {
      if (!options.snapshots) return undefined;
      try {
        return await options.snapshots.loadSnapshot(snapshotId);
      } catch (error) {
        logger.warn({ err: error, snapshotId }, 'evidence snapshot could not be read: the event is sent without it');
        return undefined;
      }
    },
  };
}
