import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import { packageRoot } from './package-root.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'sha256 is 64 lowercase hex digits' });

/** One known-good build of an asset: its size and digest, and where it can be downloaded if anywhere. */
export const assetBuildSchema = z.strictObject({
  sha256,
  size: z.number().int().positive(),
  url: z.url().optional(),
  origin: z.string(),
});

const modelInputSchema = z.strictObject({
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  layout: z.enum(['NCHW', 'NHWC']),
  channelOrder: z.enum(['RGB', 'BGR']),
  dtype: z.enum(['float32', 'uint8']),
  scale: z.number().positive(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
  letterbox: z.strictObject({ padValue: z.number().int().min(0).max(255), align: z.enum(['top-left', 'center']) }),
  batch: z.enum(['fixed', 'dynamic']),
});

const modelOutputSchema = z.strictObject({
  name: z.string(),
  decoder: z.enum(['yolox', 'ultralytics']),
  strides: z.array(z.number().int().positive()).optional(),
});

/** Capabilities a model may declare; the biometric ones are refused in fr-vsa mode. */
export const MODEL_CAPABILITIES = ['object-detection', 'fire-detection', 'weapon-detection', 'face-detection', 'face-recognition', 'reidentification', 'person-attributes'] as const;

export const assetManifestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    kind: z.literal('model'),
    title: z.string(),
    license: z.string(),
    file: z.string().regex(/^[^/\\]+$/),
    builds: z.array(assetBuildSchema).min(1),
    capabilities: z.array(z.enum(MODEL_CAPABILITIES)).min(1),
    input: modelInputSchema,
    output: modelOutputSchema,
    thresholds: z.strictObject({ score: z.number().min(0).max(1), nmsIou: z.number().min(0).max(1) }),
    classes: z.array(z.string()).min(1),
  }),
  z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    kind: z.literal('video'),
    title: z.string(),
    license: z.string(),
    file: z.string().regex(/^[^/\\]+$/),
    builds: z.array(assetBuildSchema).min(1),
  }),
]);

export type AssetManifest = z.infer<typeof assetManifestSchema>;
export type ModelManifest = Extract<AssetManifest, { kind: 'model' }>;
export type AssetBuild = z.infer<typeof assetBuildSchema>;

/** Sub-directory of the asset directory for each kind, as in ../shared/assets. */
export const KIND_DIR: Readonly<Record<AssetManifest['kind'], string>> = { model: 'models', video: 'video' };

export async function readManifest(path: string): Promise<AssetManifest> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(path, [{ path: '', message: `not a readable JSON manifest: ${(cause as Error).message}` }], { cause });
  }
  const result = assetManifestSchema.safeParse(data);
  if (!result.success) {
    throw new ConfigError(
      path,
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      { hint: 'fix the manifest: see models/README.md for its format' },
    );
  }
  return result.data;
}

/** Built-in manifests (models/*.json, samples/*.json) plus those of an extra directory. */
export async function loadManifests(extraDir = ''): Promise<AssetManifest[]> {
  const root = packageRoot();
  const dirs = [join(root, 'models'), join(root, 'samples'), ...(extraDir ? [extraDir] : [])];
  const byId = new Map<string, AssetManifest>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && dir === extraDir) {
        throw new ConfigError(undefined, [{ path: 'models.manifestDir', message: `directory ${dir} does not exist` }], { cause });
      }
      throw cause;
    }
    for (const name of names) {
      const manifest = await readManifest(join(dir, name));
      byId.set(manifest.id, manifest);
    }
  }
  return [...byId.values()];
}
