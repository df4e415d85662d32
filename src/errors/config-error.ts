import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** One problem found in a configuration file, located by its path (e.g. `cameras[1].rules[0].zone`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** The configuration file is missing, unreadable, not YAML, or does not match the schema. */
export class ConfigError extends VigieError {
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly ConfigProblem[];
  readonly file: string | undefined;

  constructor(file: string | undefined, problems: readonly ConfigProblem[], options: VigieErrorOptions = {}) {
    const where = file ?? 'configuration';
    const lines = problems.map((p) => `  ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super(`${where} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
      hint: options.hint ?? `edit ${where}, then run \`vigie config check ${file ?? 'FILE'}\``,
      cause: options.cause,
    });
    this.problems = problems;
    this.file = file;
  }
}
