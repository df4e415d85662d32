import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/index.js';

/** A real Vigie logger (redaction included) whose JSON lines are kept in memory for assertions. */
export function captureLogs(level: 'debug' | 'info' | 'warn' = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
