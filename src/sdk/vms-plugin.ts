import type { z } from 'zod';
import type { PluginContext } from './plugin-context.js';
import type { PluginManifest } from './plugin-manifest.js';
import type { VmsSink } from './vms-sink.js';

/**
 * What `plugins/<id>/index.ts` exports as default. `configSchema` validates the output's own fields (plus `url`);
 * the fields every output has (`type`, `name`, `enabled`, `eventTypes`, `cameras`, delivery overrides) are
 * validated by Vigie and are not passed in. Make it a strict object whose fields all have `.describe()` and a
 * default (or are marked "(required)"), as Vigie's own configuration does: the conformance suite checks it.
 */
export interface VmsPlugin<S extends z.ZodType = z.ZodType> {
  readonly manifest: PluginManifest;
  readonly configSchema: S;
  /** Builds the sink for one output. No I/O here: connect in `VmsSink.start`. */
  createSink(config: z.output<S>, context: PluginContext): VmsSink;
}

/** Types a plugin's default export with its configuration inferred from the schema. */
export function definePlugin<S extends z.ZodType>(plugin: VmsPlugin<S>): VmsPlugin<S> {
  return plugin;
}
