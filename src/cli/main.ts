// Process entry point of the `vigie` command (see bin/vigie.js).
import { reportError } from './fail.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
