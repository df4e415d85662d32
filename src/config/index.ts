export { configSchema, type VigieConfig, type VigieConfigInput } from './schema.js';
export { checkConfigText, loadConfig, resolveConfigFile, type ConfigCheck, type LoadedConfig } from './load.js';
export { exampleConfig } from './example.js';
export { formatPath } from './format-issues.js';
export { expandPath } from './paths.js';
export { ENV_OVERRIDES } from './env.js';
export { OUTPUT_TYPES } from './outputs.js';
export type { CameraConfig } from './camera.js';
export type { RuleConfig } from './rule.js';
