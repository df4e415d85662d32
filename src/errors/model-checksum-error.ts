import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** A model file does not match any known-good build of its manifest: Vigie refuses to load it. */
export class ModelChecksumError extends VigieError {
  readonly code = 'MODEL_CHECKSUM_MISMATCH';

  constructor(
    readonly modelId: string,
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
    options: Pick<VigieErrorOptions, 'cause'> = {},
  ) {
    super(`model "${modelId}" refused: ${path} does not match its manifest (expected ${expected}, got ${actual})`, {
      cause: options.cause,
      hint: 'the file is corrupt, truncated or another build: run `vigie assets fetch` to get a verified copy, or add the build to the model manifest if you trust it',
    });
  }
}
