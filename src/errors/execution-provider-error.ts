import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** None of the configured onnxruntime execution providers could run the model. */
export class ExecutionProviderError extends VigieError {
  readonly code = 'EXECUTION_PROVIDER_UNAVAILABLE';

  constructor(
    readonly modelId: string,
    readonly providers: readonly string[],
    reason: string,
    options: Pick<VigieErrorOptions, 'cause'> = {},
  ) {
    super(`model "${modelId}": no execution provider of [${providers.join(', ')}] could load it: ${reason}`, {
      cause: options.cause,
      hint: "add 'cpu' at the end of inference.executionProviders, or install the GPU libraries (CUDA 12, cuDNN 9, the onnxruntime CUDA provider) on this node",
    });
  }
}
