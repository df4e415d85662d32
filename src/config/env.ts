/** Environment variables that override configuration fields, applied before validation. */
export const ENV_OVERRIDES = [
  { variable: 'REDIS_URL', path: ['queue', 'redisUrl'] },
  { variable: 'VIGIE_ASSET_DIR', path: ['models', 'assetDir'] },
  { variable: 'VIGIE_ASSET_MIRROR', path: ['models', 'mirror'] },
  { variable: 'VIGIE_DB', path: ['store', 'path'] },
  { variable: 'LOG_LEVEL', path: ['log', 'level'] },
] as const;

export function applyEnvOverrides(data: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const { variable, path } of ENV_OVERRIDES) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const [section, field] = path;
    const current = out[section];
    out[section] = { ...(current !== null && typeof current === 'object' ? current : {}), [field]: value };
  }
  return out;
}
