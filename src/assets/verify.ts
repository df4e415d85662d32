import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AssetChecksumError, AssetMissingError } from '../errors/index.js';
import { KIND_DIR, type AssetBuild, type AssetManifest } from './manifest.js';

export function assetPath(assetDir: string, manifest: AssetManifest): string {
  return join(assetDir, KIND_DIR[manifest.kind], manifest.file);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The build a file matches, by size then digest, or undefined. */
export function matchBuild(manifest: AssetManifest, size: number, sha256: string): AssetBuild | undefined {
  return manifest.builds.find((b) => b.size === size && b.sha256 === sha256);
}

export interface VerifiedAsset {
  path: string;
  sha256: string;
  build: AssetBuild;
}

/**
 * The asset's path once its size and sha256 match a known build. Throws AssetMissingError (naming the command that
 * fixes it) or AssetChecksumError.
 */
export async function verifyAsset(assetDir: string, manifest: AssetManifest): Promise<VerifiedAsset> {
  const path = assetPath(assetDir, manifest);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new AssetMissingError(manifest.id, path);
  }
  const digest = await sha256File(path);
  const build = matchBuild(manifest, size, digest);
  if (!build) {
    const known = manifest.builds.map((b) => `sha256 ${b.sha256.slice(0, 12)}… (${b.size} bytes)`).join(' or ');
    throw new AssetChecksumError(manifest.id, path, known, `sha256 ${digest.slice(0, 12)}… (${size} bytes)`);
  }
  return { path, sha256: digest, build };
}
