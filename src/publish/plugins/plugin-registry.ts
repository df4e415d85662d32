import type { VmsPlugin } from '../../sdk/index.js';
import { BUILTIN_PLUGIN_DIR, discoverPlugins, importPlugin, type PluginLocation } from './plugin-loader.js';

/**
 * The output plugins this Vigie can use. Plugins are found on disk at once but imported only when asked for, so
 * a configuration with one webhook does not load the MQTT client.
 */
export class PluginRegistry {
  private readonly locations: Map<string, PluginLocation>;
  private readonly loaded = new Map<string, Promise<VmsPlugin>>();

  private constructor(locations: PluginLocation[]) {
    this.locations = new Map(locations.map((l) => [l.outputType, l]));
  }

  /** Finds the plugins in the built-in folder and in `extraDirs`. */
  static discover(extraDirs: readonly string[] = [], builtinDir: string = BUILTIN_PLUGIN_DIR): PluginRegistry {
    return new PluginRegistry(discoverPlugins([builtinDir, ...extraDirs]));
  }

  /** Output types that have a plugin, sorted. */
  types(): string[] {
    return [...this.locations.keys()].sort();
  }

  has(outputType: string): boolean {
    return this.locations.has(outputType);
  }

  location(outputType: string): PluginLocation | undefined {
    return this.locations.get(outputType);
  }

  /** Imports (once) and checks the plugin serving `outputType`; undefined when none does. */
  async get(outputType: string): Promise<VmsPlugin | undefined> {
    const location = this.locations.get(outputType);
    if (!location) return undefined;
    let plugin = this.loaded.get(outputType);
    if (!plugin) {
      plugin = importPlugin(location);
      this.loaded.set(outputType, plugin);
    }
    return plugin;
  }
}
