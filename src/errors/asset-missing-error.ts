import { VigieError } from './vigie-error.js';

/** A model or sample file Vigie needs is not in the asset directory. */
export class AssetMissingError extends VigieError {
  readonly code = 'ASSET_MISSING';

  constructor(readonly assetId: string, readonly path: string) {
    super(`asset "${assetId}" is missing: ${path} does not exist`, {
      hint: 'run `vigie assets fetch` (or `vigie assets fetch --from DIR` on an air-gapped site), or set VIGIE_ASSET_DIR to a directory that holds it',
    });
  }
}
