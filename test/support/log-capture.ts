import { Writable } from 'node:stream';
import { createLogger, type Logger, type LoggerSettings } from '../../src/logging/index.js';

/** A real Vigie logger (redaction included) whose JSON lines are kept in memory. */
export function captureLogs(level: 'debug' | 'info' | 'trace' = 'debug'): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
      callback();
    },
  });
  const logger = createLogger({ level, destination: destination as unknown as NonNullable<LoggerSettings['destination']> });
  return { logger, lines, text: () => lines.join('\n') };
}
