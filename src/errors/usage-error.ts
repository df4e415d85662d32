import { VigieError } from './vigie-error.js';

/** A command was called with arguments it cannot use. */
export class UsageError extends VigieError {
  readonly code = 'USAGE';

  constructor(message: string, hint?: string) {
    super(message, { hint: hint ?? 'run `vigie help` for the list of commands and options' });
  }
}
