import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts one of this folder's worker scripts. From a build (`dist/src/inference/*.js`) the compiled file runs as is.
 * From the sources (a checkout run through tsx: `bin/vigie.js`, `node --import tsx`) a worker thread does not
 * inherit tsx's loader, so a small bootstrap registers tsx in the thread before importing the `.ts` file.
 */
export function startWorker(name: 'detector-worker' | 'bare-ort-worker', options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const script = new URL(`./${name}.ts`, here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, here), options);
}
