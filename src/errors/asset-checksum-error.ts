import { VigieError } from './vigie-error.js';

/** A downloaded or copied asset does not have the size or sha256 its manifest declares. */
export class AssetChecksumError extends VigieError {
  readonly code = 'ASSET_CHECKSUM_MISMATCH';

  constructor(
    readonly assetId: string,
    readonly source: string,
    readonly expected: string,
    readonly actual: string,
    note = '',
  ) {
    super(`asset "${assetId}" from ${source} does not match its manifest: expected ${expected}, got ${actual}${note ? `; ${note}` : ''}`, {
      hint: 'the file is corrupt, truncated or a different build: fetch it again from the official source, or check the mirror',
    });
  }
}
