import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginLoadError } from '../../errors/index.js';
import { SDK_VERSION, type VmsPlugin } from '../../sdk/index.js';
import { manifestSchema } from './manifest-schema.js';

/** plugins/ beside src/ (in a checkout) or beside dist/src/ (in a build). */
export const BUILTIN_PLUGIN_DIR = fileURLToPath(new URL('../../../plugins/', import.meta.url));
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** A plugin folder found on disk: its output type is its folder name. */
export interface PluginLocation {
  outputType: string;
  dir: string;
  entry: string;
}

/**
 * Plugin folders in `dirs` (the built-in one first); names starting with `_` or `.` are skipped (the template).
 * A folder whose name appears in an earlier directory is ignored: built-in plugins cannot be shadowed.
 */
export function discoverPlugins(dirs: readonly string[]): PluginLocation[] {
  const found = new Map<string, PluginLocation>();
  for (const base of dirs) {
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (name.startsWith('_') || name.startsWith('.') || found.has(name)) continue;
      const dir = resolve(base, name);
      if (!statSync(dir).isDirectory()) continue;
      const entry = entryOf(dir);
      if (entry) found.set(name, { outputType: name, dir, entry });
    }
  }
  return [...found.values()];
}

/** Imports a plugin and checks it honours the contract: a default export with manifest, configSchema and createSink. */
export async function importPlugin(location: PluginLocation): Promise<VmsPlugin> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(location.entry).href)) as { default?: unknown };
  } catch (cause) {
    throw new PluginLoadError(location.dir, `cannot be imported: ${(cause as Error).message}`, { cause });
  }
  const plugin = module.default as Partial<VmsPlugin> | undefined;
  if (!plugin || typeof plugin !== 'object') throw new PluginLoadError(location.dir, 'has no default export');
  if (typeof plugin.createSink !== 'function') throw new PluginLoadError(location.dir, 'default export has no createSink function');
  const schema = plugin.configSchema as { safeParse?: unknown } | undefined;
  if (!schema || typeof schema.safeParse !== 'function') throw new PluginLoadError(location.dir, 'default export has no zod configSchema');
  const manifest = manifestSchema.safeParse(plugin.manifest);
  if (!manifest.success) {
    throw new PluginLoadError(location.dir, `its manifest is invalid: ${manifest.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`).join('; ')}`);
  }
  if (manifest.data.outputType !== location.outputType) {
    throw new PluginLoadError(location.dir, `manifest.outputType is "${manifest.data.outputType}" but the folder is named "${location.outputType}": they must match`);
  }
  const major = (v: string) => v.split('.')[0];
  if (major(manifest.data.sdkVersion) !== major(SDK_VERSION)) {
    throw new PluginLoadError(location.dir, `was written for SDK ${manifest.data.sdkVersion}, this Vigie has SDK ${SDK_VERSION}`, {
      hint: 'update the plugin to the current SDK (see plugins/_template) or use a Vigie with a matching SDK major version',
    });
  }
  return plugin as VmsPlugin;
}

function entryOf(dir: string): string | undefined {
  const candidates = RUNNING_FROM_SOURCE ? ['index.ts', 'index.js'] : ['index.js', 'index.ts'];
  for (const name of candidates) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
