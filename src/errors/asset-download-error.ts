import { VigieError } from './vigie-error.js';

/** An asset could not be downloaded or copied (network error, HTTP error, no source known). */
export class AssetDownloadError extends VigieError {
  readonly code = 'ASSET_DOWNLOAD_FAILED';

  constructor(readonly assetId: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`asset "${assetId}": ${message}`, {
      cause: options.cause,
      hint:
        options.hint ??
        'check the network or proxy, or copy the file from a machine that has it with `vigie assets fetch --from DIR`',
    });
  }
}
