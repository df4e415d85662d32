import { VigieError } from './vigie-error.js';

/** Why an XML document was refused before or while parsing it. */
export type XmlRejection = 'too-large' | 'doctype' | 'malformed' | 'too-deep' | 'too-many-elements' | 'encoding' | 'empty';

const HINTS: Record<XmlRejection, string> = {
  'too-large': 'the peer sent more XML than a SOAP message needs; check that it talks to the right service, or raise the limit if the document is legitimate',
  doctype: 'DOCTYPE and entity declarations are refused (they enable entity-expansion and external-entity attacks); send the document without them',
  malformed: 'the peer sent XML that is not well-formed; capture the message (LOG_LEVEL=debug) and report it to the vendor',
  'too-deep': 'the document nests elements deeper than any SOAP message needs; it is refused to protect the parser',
  'too-many-elements': 'the document holds more elements than any SOAP message needs; it is refused to protect the parser',
  encoding: 'send the document in UTF-8 (or UTF-16 with a byte-order mark)',
  empty: 'the peer sent an empty body where an XML document was expected',
};

/** An XML document was refused: too large, not well-formed, or carrying a DOCTYPE/entity declaration. */
export class XmlRejectedError extends VigieError {
  readonly code = 'XML_REJECTED';

  constructor(
    readonly reason: XmlRejection,
    detail: string,
    options: { cause?: unknown; source?: string } = {},
  ) {
    super(`XML ${options.source ? `from ${options.source} ` : ''}refused (${reason}): ${detail}`, { cause: options.cause, hint: HINTS[reason] });
  }
}
