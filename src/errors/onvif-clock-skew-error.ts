import { VigieError } from './vigie-error.js';

/** The camera refuses WS-Security tokens because its clock and this machine's disagree beyond what Vigie can correct. */
export class OnvifClockSkewError extends VigieError {
  readonly code = 'ONVIF_CLOCK_SKEW';

  constructor(
    readonly device: string,
    /** Camera clock minus this machine's, in seconds, when known. */
    readonly offsetSeconds: number | undefined,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    const offset = offsetSeconds === undefined ? 'camera clock unknown' : `camera clock ${offsetSeconds > 0 ? '+' : ''}${offsetSeconds.toFixed(1)} s from this machine`;
    super(`camera ${device} refuses WS-Security timestamps (${offset}): ${detail}`, {
      cause: options.cause,
      hint: 'set the camera clock (enable NTP on the camera, and on this machine), or enable HTTP Digest authentication on the camera, which does not depend on clocks',
    });
  }
}
