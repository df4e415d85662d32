import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../assets/index.js';

/** Vigie's version, from its package.json. */
export function vigieVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
