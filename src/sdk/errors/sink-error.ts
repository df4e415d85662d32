/**
 * What the delivery host does with an event after a sink failed to deliver it:
 * - `retry`: the VMS is unreachable or failed (network, timeout, HTTP 5xx or 429). The event is retried with
 *   exponential backoff; the attempt counts towards the dead-letter limit.
 * - `hold`: the VMS refuses because of its configuration or ours (wrong credentials, an event the VMS does not
 *   know, an unmapped camera). The sink pauses and reports the problem in its health; the event stays queued
 *   without consuming attempts, and delivery resumes by itself once the configuration is fixed.
 * - `reject`: the VMS can never accept this particular event (it is malformed for that VMS). It goes to the
 *   dead-letter list at once, where an operator can see why and replay it.
 */
export type SinkErrorDisposition = 'retry' | 'hold' | 'reject';

export interface SinkErrorOptions {
  /** What the installer should do, in one sentence. */
  hint?: string;
  cause?: unknown;
  /** HTTP status the VMS answered, when there was one. */
  status?: number;
  /** The VMS asked to wait this long before the next attempt (HTTP Retry-After). */
  retryAfterSeconds?: number;
}

/**
 * Base of the errors a plugin throws from `deliver`, `start` or `check`. Shaped like Vigie's own errors (`code`,
 * `hint`, `describe()`), but defined here because a plugin imports only the SDK.
 */
export abstract class SinkError extends Error {
  abstract readonly code: string;
  abstract readonly disposition: SinkErrorDisposition;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: SinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** The message, then the fix. */
  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }
}

/** True for SDK sink errors, including those of a plugin built against another copy of the SDK (same shape). */
export function isSinkError(error: unknown): error is SinkError {
  if (error instanceof SinkError) return true;
  if (!(error instanceof Error)) return false;
  const { code, disposition } = error as { code?: unknown; disposition?: unknown };
  return typeof code === 'string' && (disposition === 'retry' || disposition === 'hold' || disposition === 'reject');
}
