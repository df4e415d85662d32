import { COMMON_OUTPUT_FIELDS, deliverySchema, formatIssues, outputName, outputSchema, type DeliveryConfig, type OutputConfig, type VigieConfig } from '../config/index.js';
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
    const result = await resolveOutput(output, index, config.delivery, registry);
    if (result.output) outputs.push(result.output);
    problems.push(...result.problems);
  }
  return { outputs, problems };
}

/**
 * Plugin-level problems of the raw `outputs` list of a file whose configuration as a whole may be invalid, so that
 * `vigie config check` reports every problem at once. Entries failing the common output fields are skipped: the
 * configuration schema reports those.
 */
export async function outputPluginProblems(rawOutputs: unknown, registry: PluginRegistry): Promise<ConfigProblem[]> {
  if (!Array.isArray(rawOutputs)) return [];
  const delivery = deliverySchema.parse({});
  const problems: ConfigProblem[] = [];
  for (const [index, raw] of rawOutputs.entries()) {
    const parsed = outputSchema.safeParse(raw);
    if (parsed.success) problems.push(...(await resolveOutput(parsed.data, index, delivery, registry)).problems);
  }
  return problems;
}

async function resolveOutput(output: OutputConfig, index: number, delivery: DeliveryConfig, registry: PluginRegistry): Promise<{ output?: ResolvedOutput; problems: ConfigProblem[] }> {
  const configPath = `outputs[${index}]`;
  let plugin: VmsPlugin | undefined;
  try {
    plugin = await registry.get(output.type);
  } catch (error) {
    return { problems: [{ path: `${configPath}.type`, message: `the ${output.type} plugin cannot be used: ${isVigieError(error) ? error.describe() : String(error)}` }] };
  }
  if (!plugin) {
    return {
      problems: [
        {
          path: `${configPath}.type`,
          message: `no plugin serves output type "${output.type}": install it as plugins/${output.type}/ (see plugins/_template) or in a folder listed in delivery.pluginDirs (found: ${registry.types().join(', ')})`,
        },
      ],
    };
  }
  const own: Record<string, unknown> = { ...(output as Record<string, unknown>) };
  for (const key of COMMON_OUTPUT_FIELDS) delete own[key];
  const parsed = plugin.configSchema.safeParse(own);
  if (!parsed.success) {
    const shape = (plugin.configSchema as { shape?: Record<string, unknown> }).shape;
    const known = [...Object.keys(shape ?? {}), ...COMMON_OUTPUT_FIELDS];
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['outputs', index, ...issue.path] }));
    return { problems: formatIssues(issues, () => known) };
  }
  return {
    problems: [],
    output: {
      index,
      name: outputName(output, index),
      type: output.type,
      configPath,
      enabled: output.enabled,
      eventTypes: output.eventTypes.length > 0 ? new Set(output.eventTypes) : undefined,
      cameras: output.cameras.length > 0 ? new Set(output.cameras) : undefined,
      plugin,
      pluginConfig: parsed.data,
      policy: deliveryPolicy(delivery, output),
    },
  };
}

/** Whether `output` takes `event` (its eventTypes and cameras filters). */
export function outputTakes(output: Pick<ResolvedOutput, 'enabled' | 'eventTypes' | 'cameras'>, event: { type: EventType; cameraId: string }): boolean {
  return output.enabled && (!output.eventTypes || output.eventTypes.has(event.type)) && (!output.cameras || output.cameras.has(event.cameraId));
}
