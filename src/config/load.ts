import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from '../errors/index.js';
import { applyEnvOverrides } from './env.js';
import { formatIssues } from './format-issues.js';
import { knownKeysAt } from './introspect.js';
import { expandPath } from './paths.js';
import { configSchema, type VigieConfig } from './schema.js';

export interface LoadedConfig {
  config: VigieConfig;
  /** Absolute path of the file read, or undefined when running on defaults. */
  file: string | undefined;
  /** Directory relative paths in the file resolve against. */
  baseDir: string;
}

export interface ConfigCheck {
  problems: ConfigProblem[];
  config: VigieConfig | undefined;
}

/** Validates YAML text; never throws for bad input, returns every problem found. */
export function checkConfigText(text: string, env: NodeJS.ProcessEnv = {}): ConfigCheck {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      config: undefined,
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: undefined, problems: [{ path: '', message: 'the file must be a YAML mapping (sections such as `cameras:`), not a list or a value' }] };
  }
  const data = applyEnvOverrides(raw as Record<string, unknown>, env);
  const result = configSchema.safeParse(data);
  if (result.success) return { config: result.data, problems: [] };
  return { config: undefined, problems: formatIssues(result.error.issues, (path) => knownKeysAt(configSchema, path, data)) };
}

/** Which file to read: the explicit one, then VIGIE_CONFIG, then ./vigie.yaml if present; undefined = defaults. */
export function resolveConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return resolve(explicit);
  if (env.VIGIE_CONFIG) return resolve(env.VIGIE_CONFIG);
  const local = resolve('vigie.yaml');
  return existsSync(local) ? local : undefined;
}

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export async function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const file = resolveConfigFile(options.file, env);
  let text = '';
  if (file) {
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new ConfigError(file, [{ path: '', message: `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? 'error'})` }], {
        cause,
        hint: 'check the path given with --config or VIGIE_CONFIG; `vigie config example > vigie.yaml` writes a starting point',
      });
    }
  }
  const { config, problems } = checkConfigText(text, env);
  if (!config) throw new ConfigError(file, problems);
  const baseDir = file ? dirname(file) : process.cwd();
  config.models.assetDir = expandPath(config.models.assetDir, baseDir);
  config.store.path = config.store.path === ':memory:' ? ':memory:' : expandPath(config.store.path, baseDir);
  if (config.models.manifestDir) config.models.manifestDir = expandPath(config.models.manifestDir, baseDir);
  return { config, file, baseDir };
}
