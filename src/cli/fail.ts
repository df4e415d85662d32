import { isVigieError } from '../errors/index.js';
import { redactText } from '../logging/index.js';

/**
 * Prints an error for a person at a terminal: the message and the fix, no stack trace (set LOG_LEVEL=debug for
 * one). Returns the exit code.
 */
export function reportError(error: unknown, stream: NodeJS.WritableStream = process.stderr): number {
  const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  if (isVigieError(error)) {
    stream.write(`vigie: error [${error.code}] ${redactText(error.describe())}\n`);
    if (debug && error.stack) stream.write(`${redactText(error.stack)}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    stream.write(`vigie: unexpected error: ${redactText(message)}\n  this is a bug in Vigie; please report it with the output of the same command run with LOG_LEVEL=debug\n`);
    if (debug && error instanceof Error && error.stack) stream.write(`${redactText(error.stack)}\n`);
  }
  return 1;
}
