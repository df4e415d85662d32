import { VigieError } from './vigie-error.js';

/** Why a camera could not be reached at the network level. */
export type UnreachableReason = 'refused' | 'timeout' | 'not-found' | 'unreachable' | 'reset' | 'tls' | 'other';

const DETAIL: Record<UnreachableReason, string> = {
  refused: 'the connection was refused (nothing listens on that port)',
  timeout: 'no answer in time',
  'not-found': 'the host name does not resolve',
  unreachable: 'no route to the host',
  reset: 'the connection was closed before a complete answer arrived',
  tls: 'the TLS handshake failed',
  other: 'the connection failed',
};

const HINT: Record<UnreachableReason, string> = {
  refused: 'check the address and port (the ONVIF service is usually on port 80, path /onvif/device_service) and that ONVIF is enabled on the camera',
  timeout: 'check that the camera is powered and reachable from this machine (ping, firewall, VLAN); a slow camera may need a longer --timeout',
  'not-found': 'check the host name, or use the camera IP address (vigie discover lists them)',
  unreachable: 'check the network route and firewall between this machine and the camera',
  reset: 'the camera or a proxy dropped the connection: retry, and check its logs or firmware if it keeps happening',
  tls: 'the camera offers HTTPS with a certificate or protocol Vigie cannot use: try its http:// URL',
  other: 'check the address and the network between this machine and the camera',
};

/** A camera (or any ONVIF device) could not be reached: refused, timed out, unknown host, reset. */
export class CameraUnreachableError extends VigieError {
  readonly code = 'CAMERA_UNREACHABLE';

  constructor(
    /** The device URL (without credentials). */
    readonly device: string,
    readonly reason: UnreachableReason,
    options: { operation?: string; timeoutSeconds?: number; cause?: unknown } = {},
  ) {
    const what = reason === 'timeout' && options.timeoutSeconds !== undefined ? `no answer within ${options.timeoutSeconds} s` : DETAIL[reason];
    super(`camera ${device} is unreachable${options.operation ? ` (${options.operation})` : ''}: ${what}`, { cause: options.cause, hint: HINT[reason] });
  }
}
