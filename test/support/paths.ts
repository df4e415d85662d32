import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The shared test material (assets, schemas, references, tools), read-only: VIGIE_SHARED_DIR, else `../shared`
 * beside the repository, else the workspace's /work/shared (CI may clone elsewhere).
 */
function findShared(): string {
  const candidates = [process.env.VIGIE_SHARED_DIR, join(REPO_ROOT, '..', 'shared'), '/work/shared'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) if (existsSync(join(candidate, 'assets'))) return resolve(candidate);
  throw new Error(`shared test material not found (looked at ${candidates.join(', ')}): set VIGIE_SHARED_DIR`);
}

export const SHARED_DIR = findShared();
export const SHARED_ASSETS = join(SHARED_DIR, 'assets');
export const SAMPLE_CLIP = join(SHARED_ASSETS, 'video', 'vtest-h264.mp4');
export const YOLOX_MODEL = join(SHARED_ASSETS, 'models', 'yolox_nano.onnx');

/** Where tests let the simulator cache its transcoded sub stream (shared by test files and runs, outside $HOME). */
export const SIMULATOR_CACHE = join(tmpdir(), 'vigie-test-simulator-cache');
