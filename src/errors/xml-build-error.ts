import { VigieError } from './vigie-error.js';

/** Code tried to build XML with an invalid name or a prefix bound twice: a bug in Vigie, never caused by input. */
export class XmlBuildError extends VigieError {
  readonly code = 'XML_BUILD_INVALID';

  constructor(detail: string) {
    super(`cannot build XML: ${detail}`, { hint: 'this is a bug in Vigie; please report it with the log' });
  }
}
