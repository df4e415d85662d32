import { SinkUnavailableError } from './sink-unavailable-error.js';

/** The VMS did not answer in time. Retried; the VMS may have received the event, hence the idempotency key. */
export class SinkTimeoutError extends SinkUnavailableError {
  override readonly code: string = 'SINK_TIMEOUT';
}
