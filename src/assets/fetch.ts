import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { AssetChecksumError, AssetDownloadError, AssetMissingError, isVigieError } from '../errors/index.js';
import { KIND_DIR, type AssetManifest } from './manifest.js';
import { createProgress } from './progress.js';
import { assetPath, matchBuild, verifyAsset } from './verify.js';

export interface FetchOptions {
  assetDir: string;
  /** Copy from this local directory (laid out like the asset directory, or flat) instead of downloading. */
  from?: string;
  /** Base URL serving assets by file name, tried instead of the manifest URLs. */
  mirror?: string;
  /** Where progress goes. */
  progress?: NodeJS.WriteStream;
  /** Abort downloads after this long without data, in milliseconds. @defaultValue 30000 */
  idleTimeoutMs?: number;
}

export type FetchOutcome = 'present' | 'downloaded' | 'copied';

/**
 * Puts one asset in the asset directory, verified. Data goes to a temporary file beside the target and is renamed
 * only once size and sha256 match, so an interrupted or corrupt transfer never leaves a file under the real name.
 */
export async function fetchAsset(manifest: AssetManifest, options: FetchOptions): Promise<FetchOutcome> {
  const target = assetPath(options.assetDir, manifest);
  try {
    await verifyAsset(options.assetDir, manifest);
    return 'present';
  } catch (error) {
    if (!(error instanceof AssetMissingError) && !(error instanceof AssetChecksumError)) throw error;
  }
  await mkdir(dirname(target), { recursive: true });
  if (options.from) {
    const source = await findLocal(options.from, manifest);
    await transfer(manifest, target, source, createReadStream(source), (await stat(source)).size, options);
    return 'copied';
  }
  const urls = candidateUrls(manifest, options.mirror);
  if (urls.length === 0) {
    throw new AssetDownloadError(manifest.id, `no download source is known for ${manifest.file}`, {
      hint: `copy it from a machine or medium that has it: \`vigie assets fetch --from DIR\` (DIR holding ${KIND_DIR[manifest.kind]}/${manifest.file}), or set VIGIE_ASSET_DIR`,
    });
  }
  const failures: string[] = [];
  for (const url of urls) {
    try {
      await download(manifest, target, url, options);
      return 'downloaded';
    } catch (error) {
      if (error instanceof AssetChecksumError) throw error;
      failures.push(isVigieError(error) ? error.message : String(error));
    }
  }
  throw new AssetDownloadError(manifest.id, `every source failed:\n    ${failures.join('\n    ')}`);
}

function candidateUrls(manifest: AssetManifest, mirror: string | undefined): string[] {
  if (mirror) return [`${mirror.replace(/\/+$/, '')}/${encodeURIComponent(manifest.file)}`];
  return manifest.builds.flatMap((b) => (b.url ? [b.url] : []));
}

async function findLocal(from: string, manifest: AssetManifest): Promise<string> {
  const candidates = [join(from, KIND_DIR[manifest.kind], manifest.file), join(from, manifest.file)];
  for (const candidate of candidates) {
    // A candidate that cannot be stat'ed is simply not there; the error below names every place looked at.
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  throw new AssetDownloadError(manifest.id, `${manifest.file} is not in ${from} (looked at ${candidates.join(' and ')})`, {
    hint: `point --from at a directory holding ${KIND_DIR[manifest.kind]}/${manifest.file}`,
  });
}

async function download(manifest: AssetManifest, target: string, url: string, options: FetchOptions): Promise<void> {
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let idle = setTimeout(() => controller.abort(), idleMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (cause) {
    clearTimeout(idle);
    throw new AssetDownloadError(manifest.id, `${url}: ${(cause as Error).cause ? String((cause as Error).cause) : (cause as Error).message}`, { cause });
  }
  if (!response.ok || !response.body) {
    clearTimeout(idle);
    throw new AssetDownloadError(manifest.id, `${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const length = Number(response.headers.get('content-length')) || manifest.builds[0]!.size;
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const keepAlive = new Transform({
    transform(chunk, _enc, done) {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), idleMs);
      done(null, chunk);
    },
  });
  try {
    await transfer(manifest, target, url, body.pipe(keepAlive), length, options);
  } finally {
    clearTimeout(idle);
  }
}

async function transfer(manifest: AssetManifest, target: string, source: string, input: NodeJS.ReadableStream, total: number, options: FetchOptions): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  const hash = createHash('sha256');
  const progress = createProgress(manifest.file, total, options.progress);
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      progress.update(size);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input, meter, createWriteStream(temp, { flags: 'wx' }));
  } catch (cause) {
    await rm(temp, { force: true });
    throw new AssetDownloadError(manifest.id, `${source}: transfer interrupted after ${size} bytes (${(cause as Error).message}); nothing was written`, { cause });
  }
  const digest = hash.digest('hex');
  if (!matchBuild(manifest, size, digest)) {
    await rm(temp, { force: true });
    const known = manifest.builds.map((b) => `sha256 ${b.sha256.slice(0, 12)}… (${b.size} bytes)`).join(' or ');
    progress.finish('rejected: checksum mismatch');
    throw new AssetChecksumError(manifest.id, source, known, `sha256 ${digest.slice(0, 12)}… (${size} bytes)`, 'nothing was written');
  }
  await rename(temp, target);
  progress.finish(`ok (${(size / 1e6).toFixed(1)} MB, sha256 ${digest.slice(0, 12)}…)`);
}
