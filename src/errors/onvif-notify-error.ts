import { VigieError } from './vigie-error.js';

/** An ONVIF event could not be pushed (base notification Notify) to a subscriber's consumer address. */
export class OnvifNotifyError extends VigieError {
  readonly code = 'ONVIF_NOTIFY_FAILED';

  constructor(
    readonly consumer: string,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(`ONVIF notification to ${consumer} failed: ${detail}`, {
      cause: options.cause,
      hint: 'check that the subscriber (the VMS) still listens at its ConsumerReference address and is reachable from Vigie; it can subscribe again, or use a pull point instead',
    });
  }
}
