import { SinkError } from './sink-error.js';

/**
 * The VMS is reachable but is not set up for what we send, or our mapping is incomplete: an Analytics Event name
 * Milestone does not know, a Genetec custom event that does not exist, a camera with no GUID mapped, a TLS
 * certificate we do not trust. Held (no attempts consumed) until the configuration is fixed.
 */
export class SinkConfigError extends SinkError {
  readonly code = 'SINK_MISCONFIGURED';
  readonly disposition = 'hold' as const;
}
