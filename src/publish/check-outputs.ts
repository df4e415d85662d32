import { hostname } from 'node:os';
import type { VigieConfig } from '../config/index.js';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { CheckResult } from './delivery-service.js';
import { GuardedSink } from './guarded-sink.js';
import { NodeHttpClient } from './http/node-http-client.js';
import { createPluginContext } from './plugin-context.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { resolveOutputs } from './resolve-outputs.js';

/**
 * For `vigie outputs check`: builds each selected output's sink (nothing is delivered, the outbox is untouched)
 * and runs its active check: reachability, TLS, credentials, and what the plugin can verify without raising an
 * event in the VMS.
 */
export async function checkOutputs(options: {
  config: Pick<VigieConfig, 'outputs' | 'delivery'>;
  logger: Logger;
  version: string;
  names?: readonly string[];
  configFile?: string;
}): Promise<CheckResult[]> {
  const registry = PluginRegistry.discover(options.config.delivery.pluginDirs);
  const { outputs, problems } = await resolveOutputs(options.config, registry);
  if (problems.length > 0) throw new ConfigError(options.configFile, problems);
  const http = new NodeHttpClient({ timeoutSeconds: options.config.delivery.timeoutSeconds, userAgent: `Vigie/${options.version}` });
  const selected = outputs.filter((o) => !options.names || options.names.length === 0 || options.names.includes(o.name));
  try {
    return await Promise.all(
      selected.map(async (output) => {
        const context = createPluginContext({
          outputName: output.name,
          outputType: output.type,
          configPath: output.configPath,
          logger: options.logger,
          http,
          snapshots: undefined,
          version: options.version,
          instance: options.config.delivery.instance || hostname(),
        });
        const guarded = new GuardedSink(output.plugin.createSink(output.pluginConfig, context), {
          name: output.name,
          type: output.type,
          enabled: output.enabled,
          policy: output.policy,
          logger: options.logger,
        });
        try {
          const result = await guarded.check();
          return result.ok
            ? { name: output.name, type: output.type, ok: true, detail: result.detail, error: undefined }
            : { name: output.name, type: output.type, ok: false, detail: result.error.message, error: result.error };
        } finally {
          await guarded.stop();
        }
      }),
    );
  } finally {
    http.close();
  }
}
