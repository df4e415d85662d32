import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { loadManifests, verifyAsset, type ModelManifest } from '../assets/index.js';
import { expandPath, type VigieConfig } from '../config/index.js';
import { AssetChecksumError, ConfigError, ModelChecksumError } from '../errors/index.js';

/** The `inference` section of vigie.yaml. */
export type InferenceConfig = VigieConfig['inference'];
/** The `models` section of vigie.yaml (assetDir already expanded by the loader). */
export type ModelsConfig = VigieConfig['models'];

/** What a worker needs to know about the model: the manifest's contract plus the thresholds in force. */
export interface ModelSpec {
  id: string;
  sha256: string;
  path: string;
  classes: readonly string[];
  input: ModelManifest['input'];
  output: ModelManifest['output'];
  scoreThreshold: number;
  nmsIou: number;
}

/** A model whose file was verified against its manifest, with the verified bytes (what the sessions load). */
export interface ResolvedModel {
  spec: ModelSpec;
  manifest: ModelManifest;
  bytes: Uint8Array;
}

/**
 * Finds the manifest of `inference.model` (built-in models/ plus `models.manifestDir`), checks the file under
 * `<models.assetDir>/models/` against its known builds, and reads it. The bytes returned are the bytes verified,
 * so a file swapped between the check and the load cannot slip in. Throws ConfigError (no such model),
 * AssetMissingError (file absent) or ModelChecksumError (file differs from every known build).
 */
export async function resolveModel(
  inference: Pick<InferenceConfig, 'model' | 'scoreThreshold' | 'nmsIou'>,
  models: Pick<ModelsConfig, 'assetDir' | 'manifestDir'>,
  options: {
    /**
     * Without `inference.scoreThreshold`, the manifest's score threshold is lowered to this: the tracker's
     * `lowScore`, so that its second pass (ByteTrack) gets the low-confidence boxes it is made for.
     */
    defaultScoreAtMost?: number;
  } = {},
): Promise<ResolvedModel> {
  const manifests = await loadManifests(models.manifestDir ? expandPath(models.manifestDir) : '');
  const manifest = manifests.find((m): m is ModelManifest => m.kind === 'model' && m.id === inference.model);
  if (!manifest) {
    const known = manifests.filter((m) => m.kind === 'model').map((m) => m.id);
    throw new ConfigError(undefined, [{ path: 'inference.model', message: `no model manifest "${inference.model}.json" (known models: ${known.join(', ') || 'none'})` }], {
      hint: 'set inference.model to one of the known models, or put its manifest in models.manifestDir',
    });
  }
  let verified;
  try {
    verified = await verifyAsset(expandPath(models.assetDir), manifest);
  } catch (error) {
    if (error instanceof AssetChecksumError) throw new ModelChecksumError(manifest.id, error.source, error.expected, error.actual, { cause: error });
    throw error;
  }
  const bytes = await readFile(verified.path);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== verified.sha256) {
    throw new ModelChecksumError(manifest.id, verified.path, `sha256 ${verified.sha256.slice(0, 12)}…`, `sha256 ${digest.slice(0, 12)}… (the file changed while it was read)`);
  }
  return {
    manifest,
    bytes,
    spec: {
      id: manifest.id,
      sha256: verified.sha256,
      path: verified.path,
      classes: manifest.classes,
      input: manifest.input,
      output: manifest.output,
      scoreThreshold: inference.scoreThreshold ?? Math.min(manifest.thresholds.score, options.defaultScoreAtMost ?? 1),
      nmsIou: inference.nmsIou ?? manifest.thresholds.nmsIou,
    },
  };
}
