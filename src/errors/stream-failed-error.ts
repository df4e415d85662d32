import { VigieError } from './vigie-error.js';

/** Why a camera stream could not be read (other than refused credentials, which is `StreamAuthError`). */
export type StreamFailure = 'refused' | 'not-found' | 'unreachable' | 'timeout' | 'stalled' | 'ended' | 'bad-stream' | 'other';

const DETAIL: Record<StreamFailure, string> = {
  refused: 'the connection was refused (nothing listens on that port)',
  'not-found': 'the camera has no stream at that path (404), or the host name does not resolve',
  unreachable: 'no route to the host',
  timeout: 'the camera did not answer in time',
  stalled: 'no frame arrived for too long',
  ended: 'the stream ended',
  'bad-stream': 'the stream holds no decodable video',
  other: 'ffmpeg failed',
};

const HINT: Record<StreamFailure, string> = {
  refused: 'check the address and RTSP port of the camera (554 by default) and that RTSP is enabled on it',
  'not-found': 'check the stream path (vigie probe lists the RTSP URI of each profile) and the host name',
  unreachable: 'check the network route and firewall between this machine and the camera',
  timeout: 'check that the camera is powered and reachable (ping, firewall, VLAN); with UDP blocked, keep ingest.rtspTransport tcp',
  stalled: 'the camera or the network stopped delivering video: Vigie restarts the stream; if it keeps happening, check the camera load and its stream limits',
  ended: 'the camera closed the session (a session limit, a reboot or a configuration change): Vigie reconnects by itself',
  'bad-stream': 'check the codec of the stream (ffprobe URL shows it): H.264 or H.265 video is expected',
  other: 'the last lines ffmpeg printed are in the log',
};

/** A camera stream could not be opened, stalled or ended; ingest reconnects with a growing delay. */
export class StreamFailedError extends VigieError {
  readonly code = 'STREAM_FAILED';

  constructor(
    /** The camera (id or name). */
    readonly camera: string,
    /** The stream URL, credentials removed. */
    readonly url: string,
    readonly reason: StreamFailure,
    options: { detail?: string; cause?: unknown } = {},
  ) {
    super(`camera ${camera}: stream ${url}: ${DETAIL[reason]}${options.detail ? ` (${options.detail})` : ''}`, { cause: options.cause, hint: HINT[reason] });
  }
}
