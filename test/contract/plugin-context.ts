import { createPluginContext, NodeHttpClient } from '../../src/publish/index.js';
import type { PluginContext, SnapshotSource } from '../../src/sdk/index.js';
import { captureLogs } from '../support/log-capture.js';

export interface TestContext {
  context: PluginContext;
  /** Every log line the plugin wrote, as text (for "no secret in the logs" checks). */
  logText: () => string;
  logLines: () => Record<string, unknown>[];
  close: () => void;
}

/** The context the host would give a plugin, with logs captured and an optional snapshot store. */
export function pluginTestContext(options: { outputName?: string; type?: string; snapshots?: SnapshotSource; timeoutSeconds?: number } = {}): TestContext {
  const logs = captureLogs('debug');
  const http = new NodeHttpClient({ timeoutSeconds: options.timeoutSeconds ?? 5, userAgent: 'Vigie/test' });
  const context = createPluginContext({
    outputName: options.outputName ?? 'under-test',
    outputType: options.type ?? 'test',
    configPath: 'outputs[0]',
    logger: logs.logger,
    http,
    snapshots: options.snapshots,
    version: '0.0.0-test',
    instance: 'test-host',
  });
  return { context, logText: logs.text, logLines: logs.lines, close: () => http.close() };
}

/** An AbortSignal for one test call, aborted after `seconds`. */
export function deadline(seconds = 5): AbortSignal {
  return AbortSignal.timeout(seconds * 1000);
}
