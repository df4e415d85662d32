import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** onnxruntime could not load a model, or the model does not match what its manifest says. */
export class ModelLoadError extends VigieError {
  readonly code = 'MODEL_LOAD_FAILED';

  constructor(
    readonly modelId: string,
    readonly path: string,
    reason: string,
    options: VigieErrorOptions = {},
  ) {
    super(`model "${modelId}" (${path}) cannot be loaded: ${reason}`, {
      cause: options.cause,
      hint: options.hint ?? 'check that the file is a valid ONNX model and that its manifest (input name and size, output name, decoder) describes it',
    });
  }
}
