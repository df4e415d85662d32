#!/usr/bin/env node
// Entry point of the `vigie` command. In a source checkout it runs the TypeScript sources through tsx, so
// `npm ci && npm start` needs no build step; an installed or containerised build (no src/) runs dist/.
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const source = new URL('src/cli/main.ts', root);
const built = new URL('dist/src/cli/main.js', root);

if (existsSync(source) && process.env.VIGIE_RUNTIME !== 'dist') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(built.href);
}
