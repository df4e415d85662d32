import { loadConfig, type LoadedConfig } from '../config/index.js';
import { createLogger, type Logger } from '../logging/index.js';

export interface CommandContext extends LoadedConfig {
  logger: Logger;
}

/** Loads the configuration (file, VIGIE_CONFIG or ./vigie.yaml, then environment overrides) and builds the logger. */
export async function commandContext(file: string | undefined): Promise<CommandContext> {
  const loaded = await loadConfig({ file });
  const logger = createLogger({ level: loaded.config.log.level, pretty: loaded.config.log.pretty });
  return { ...loaded, logger };
}
