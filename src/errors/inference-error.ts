import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** A frame could not be analysed: the detector is closed, its worker died, or the frame does not fit the model. */
export class InferenceError extends VigieError {
  readonly code = 'INFERENCE_FAILED';

  constructor(message: string, options: VigieErrorOptions = {}) {
    super(message, { cause: options.cause, hint: options.hint ?? 'see the log line before this one for the cause; the detector restarts its worker threads on its own' });
  }
}
