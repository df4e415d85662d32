import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

/** `~/x` → the home directory; relative paths resolve against `base` (the configuration file's directory). */
export function expandPath(path: string, base: string = process.cwd()): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}
