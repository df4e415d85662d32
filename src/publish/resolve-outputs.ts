import { COMMON_OUTPUT_FIELDS, formatIssues, outputName, type VigieConfig } from '../config/index.js';
import { isVigieError, type ConfigProblem } from '../errors/index.js';
import type { EventType, VmsPlugin } from '../sdk/index.js';
import { deliveryPolicy, type DeliveryPolicy } from './delivery-policy.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';

/** A configured output with its plugin loaded and its own fields validated by that plugin's schema. */
export interface ResolvedOutput {
  index: number;
  name: string;
  type: string;
  /** `outputs[2]`: where it is in the configuration file. */
  configPath: string;
  enabled: boolean;
  /** Undefined = every event type / every camera. */
  eventTypes: ReadonlySet<EventType> | undefined;
  cameras: ReadonlySet<string> | undefined;
  plugin: VmsPlugin;
  /** The plugin's parsed configuration (its fields and url). */
  pluginConfig: unknown;
  policy: DeliveryPolicy;
}

export interface OutputResolution {
  outputs: ResolvedOutput[];
  /** Plugin configuration problems, with paths such as `outputs[1].password`. */
  problems: ConfigProblem[];
}

/**
 * Loads the plugin of every configured output and validates the output's own fields with the plugin's schema.
 * Never throws for bad configuration: every problem is returned with its path and fix.
 */
export async function resolveOutputs(config: Pick<VigieConfig, 'outputs' | 'delivery'>, registry: PluginRegistry): Promise<OutputResolution> {
  const outputs: ResolvedOutput[] = [];
  const problems: ConfigProblem[] = [];
  for (const [index, output] of config.outputs.entries()) {
    const configPath = `outputs[${index}]`;
    let plugin: VmsPlugin | undefined;
    try {
      plugin = await registry.get(output.type);
    } catch (error) {
      problems.push({ path: `${configPath}.type`, message: `the ${output.type} plugin cannot be used: ${isVigieError(error) ? error.describe() : String(error)}` });
      continue;
    }
    if (!plugin) {
      problems.push({
        path: `${configPath}.type`,
        message: `no plugin serves output type "${output.type}": install it as plugins/${output.type}/ (see plugins/_template) or in a folder listed in delivery.pluginDirs (found: ${registry.types().join(', ')})`,
      });
      continue;
    }
    const own: Record<string, unknown> = { ...(output as Record<string, unknown>) };
    for (const key of COMMON_OUTPUT_FIELDS) delete own[key];
    const parsed = plugin.configSchema.safeParse(own);
    if (!parsed.success) {
      const shape = (plugin.configSchema as { shape?: Record<string, unknown> }).shape;
      const known = [...Object.keys(shape ?? {}), ...COMMON_OUTPUT_FIELDS];
      const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['outputs', index, ...issue.path] }));
      problems.push(...formatIssues(issues, () => known));
      continue;
    }
    outputs.push({
      index,
      name: outputName(output, index),
      type: output.type,
      configPath,
      enabled: output.enabled,
      eventTypes: output.eventTypes.length > 0 ? new Set(output.eventTypes) : undefined,
      cameras: output.cameras.length > 0 ? new Set(output.cameras) : undefined,
      plugin,
      pluginConfig: parsed.data,
      policy: deliveryPolicy(config.delivery, output),
    });
  }
  return { outputs, problems };
}

/** Whether `output` takes `event` (its eventTypes and cameras filters). */
export function outputTakes(output: Pick<ResolvedOutput, 'enabled' | 'eventTypes' | 'cameras'>, event: { type: EventType; cameraId: string }): boolean {
  return output.enabled && (!output.eventTypes || output.eventTypes.has(event.type)) && (!output.cameras || output.cameras.has(event.cameraId));
}
