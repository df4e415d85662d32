import { VigieError } from './vigie-error.js';

/** A camera refused its RTSP stream to Vigie's credentials (401 Unauthorized / 403 Forbidden). */
export class StreamAuthError extends VigieError {
  readonly code = 'STREAM_UNAUTHORIZED';

  constructor(
    /** The camera (id or name). */
    readonly camera: string,
    /** The stream URL, credentials removed. */
    readonly url: string,
    readonly status: 401 | 403,
    options: { cause?: unknown } = {},
  ) {
    super(`camera ${camera}: the RTSP stream ${url} refused the credentials (${status === 401 ? '401 Unauthorized' : '403 Forbidden'})`, {
      cause: options.cause,
      hint:
        status === 401
          ? 'check the user name and password of the camera (the stream URL or the site credentials); retries are spaced out so the camera does not lock the account'
          : 'the account is known but may not watch this stream: give the user the viewer (or media) right on the camera',
    });
  }
}
