export { loadManifests, readManifest, KIND_DIR, MODEL_CAPABILITIES, type AssetManifest, type ModelManifest, type AssetBuild } from './manifest.js';
export { assetPath, sha256File, verifyAsset, type VerifiedAsset } from './verify.js';
export { fetchAsset, type FetchOptions, type FetchOutcome } from './fetch.js';
export { packageRoot } from './package-root.js';
