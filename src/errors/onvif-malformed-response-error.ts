import { VigieError } from './vigie-error.js';

/** A camera answered with XML that is not well-formed, too large, or lacks what the ONVIF schema requires. */
export class OnvifMalformedResponseError extends VigieError {
  readonly code = 'ONVIF_MALFORMED_RESPONSE';

  constructor(
    readonly device: string,
    readonly operation: string,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(`camera ${device} answered ${operation} with a malformed response: ${detail}`, {
      cause: options.cause,
      hint: 'the camera firmware sent something ONVIF does not allow: update the firmware, and report the model (the raw answer is in the log with LOG_LEVEL=debug)',
    });
  }
}
