// Process entry point of the `vigie` command (see bin/vigie.js).
import { reportError } from './fail.js';
import { buildProgram } from './program.js';

// `vigie discover --json | head -1`: a reader that goes away is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
