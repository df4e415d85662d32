import { VigieError } from './vigie-error.js';

/** No media profile of a camera can be analysed, or the configured one does not exist. */
export class OnvifNoProfileError extends VigieError {
  readonly code = 'ONVIF_NO_USABLE_PROFILE';

  constructor(readonly device: string, detail: string, hint: string) {
    super(`camera ${device}: ${detail}`, { hint });
  }
}
