/**
 * Base of every error Vigie raises on purpose. `code` is stable (logs, metrics, exit paths and tests match on it),
 * `message` says what happened, and `hint` says what the user should do next.
 */
export interface VigieErrorOptions {
  /** The lower-level error that caused this one. */
  cause?: unknown;
  /** What the user should do to fix it, in one sentence. */
  hint?: string;
}

export abstract class VigieError extends Error {
  abstract readonly code: string;
  readonly hint: string | undefined;

  constructor(message: string, options: VigieErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** One line for a terminal: message, then the fix. */
  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }
}

export function isVigieError(error: unknown): error is VigieError {
  return error instanceof VigieError;
}
