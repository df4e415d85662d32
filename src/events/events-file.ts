import { createWriteStream, type WriteStream } from 'node:fs';
import type { Logger } from '../logging/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';

/** Events written as JSON lines, to a file (appended) or to standard output (`-`), for use before any VMS is connected. */
export interface EventsFile {
  readonly target: string;
  write(event: AnalyticsEvent): void;
  close(): Promise<void>;
}

export function openEventsFile(target: string, logger: Logger): EventsFile {
  let stream: WriteStream | NodeJS.WriteStream;
  if (target === '-') stream = process.stdout;
  else {
    const file = createWriteStream(target, { flags: 'a' });
    file.on('error', (error) => logger.error({ err: error, file: target }, 'cannot write events to the file: check the directory exists and is writable'));
    stream = file;
  }
  return {
    target,
    write(event) {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close() {
      if (stream === process.stdout) return Promise.resolve();
      return new Promise((resolve) => (stream as WriteStream).end(resolve));
    },
  };
}
