export { configSchema, type VigieConfig, type VigieConfigInput } from './schema.js';
export { checkConfigText, loadConfig, resolveConfigFile, type ConfigCheck, type LoadedConfig } from './load.js';
export { exampleConfig } from './example.js';
export { formatPath, formatIssues, suggest } from './format-issues.js';
export { expandPath } from './paths.js';
export { ENV_OVERRIDES } from './env.js';
export { outputSchema, OUTPUT_TYPES, THIRD_PARTY_OUTPUT_TYPE, COMMON_OUTPUT_FIELDS, outputName, type OutputConfig } from './outputs.js';
export { deliverySchema, type DeliveryConfig } from './delivery.js';
export type { CameraConfig } from './camera.js';
export { ruleSchema, frVsaRuleProblem, type RuleConfig } from './rule.js';
export { rulesEngineSchema, type RulesEngineConfig } from './rules-engine.js';
export { trackingSchema, type TrackingConfig } from './tracking.js';

export { metadataStreamSchema } from './metadata-stream.js';
export { deviceSchema, type DeviceConfig } from './device.js';
export type { UserConfig } from './server.js';
