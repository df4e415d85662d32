import { VigieError } from './vigie-error.js';

/** The state database cannot be opened, migrated or written. */
export class StoreError extends VigieError {
  readonly code = 'STORE_FAILED';

  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause, hint: options.hint ?? 'check store.path in the configuration and that the directory is writable' });
  }
}
