import { SinkError } from './sink-error.js';

/** The VMS could not be reached or failed (refused connection, DNS, TLS reset, HTTP 5xx, 429): retried with backoff. */
export class SinkUnavailableError extends SinkError {
  readonly code: string = 'SINK_UNAVAILABLE';
  readonly disposition = 'retry' as const;
}
