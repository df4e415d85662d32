import { SinkError } from './sink-error.js';

/** The VMS will never accept this event as sent (e.g. HTTP 400 on a well-configured sink): dead-lettered at once. */
export class SinkRejectedError extends SinkError {
  readonly code = 'SINK_REJECTED';
  readonly disposition = 'reject' as const;
}
