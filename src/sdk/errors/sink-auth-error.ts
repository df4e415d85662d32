import { SinkError } from './sink-error.js';

/** The VMS refused our credentials (HTTP 401/403, MQTT CONNACK "bad user name or password"): held until fixed. */
export class SinkAuthError extends SinkError {
  readonly code = 'SINK_AUTH_FAILED';
  readonly disposition = 'hold' as const;
}
