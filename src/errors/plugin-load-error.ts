import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** An output plugin is missing, cannot be imported, or does not honour the plugin contract. */
export class PluginLoadError extends VigieError {
  readonly code = 'PLUGIN_LOAD_FAILED';
  readonly pluginDir: string;

  constructor(pluginDir: string, reason: string, options: VigieErrorOptions = {}) {
    super(`output plugin ${pluginDir}: ${reason}`, {
      cause: options.cause,
      hint: options.hint ?? 'a plugin folder holds index.ts (or index.js) whose default export is definePlugin({ manifest, configSchema, createSink }); see plugins/_template',
    });
    this.pluginDir = pluginDir;
  }
}
