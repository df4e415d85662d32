import sax from 'sax';
import { XmlRejectedError } from '../errors/index.js';
import { NS } from './namespaces.js';
import { XmlElement, type XmlAttribute } from './xml-element.js';

export interface XmlParseOptions {
  /** Largest document accepted, in bytes. @defaultValue 1 MiB */
  maxBytes?: number;
  /** Deepest element nesting accepted. @defaultValue 64 */
  maxDepth?: number;
  /** Most elements accepted in one document. @defaultValue 50 000 */
  maxElements?: number;
  /** Who sent the document (a URL, an address), for error messages. */
  source?: string;
}

export const DEFAULT_XML_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 64, maxElements: 50_000 } as const;

/**
 * Parses an XML document into a namespace-aware element tree. Safe for hostile input: documents larger than
 * `maxBytes`, nested deeper than `maxDepth`, or carrying a DOCTYPE or any other markup declaration are refused
 * (no entity is ever expanded), and every well-formedness error is an `XmlRejectedError`, never a crash.
 */
export function parseXml(input: string | Buffer, options: XmlParseOptions = {}): XmlElement {
  const maxBytes = options.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  const maxDepth = options.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth;
  const maxElements = options.maxElements ?? DEFAULT_XML_LIMITS.maxElements;
  const reject = (reason: ConstructorParameters<typeof XmlRejectedError>[0], detail: string, cause?: unknown): never => {
    throw new XmlRejectedError(reason, detail, { cause, source: options.source });
  };

  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) reject('too-large', `${size} bytes, more than the limit of ${maxBytes}`);
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decode(input, reject);
  if (text.trim() === '') reject('empty', 'no XML document');

  const parser = sax.parser(true, { xmlns: true, position: true });
  let root: XmlElement | undefined;
  let current: XmlElement | undefined;
  let depth = 0;
  let elements = 0;
  let rootClosed = false;

  parser.onerror = (error: Error) => {
    reject('malformed', `${error.message.split('\n')[0] ?? 'syntax error'} (line ${parser.line + 1}, column ${parser.column + 1})`, error);
  };
  parser.ondoctype = () => reject('doctype', 'the document has a DOCTYPE declaration');
  parser.onsgmldeclaration = (decl: string) => reject('doctype', `markup declaration <!${decl.slice(0, 20)}... is not allowed`);
  parser.onopentag = (tag) => {
    if (rootClosed) reject('malformed', 'a second element follows the root element');
    depth += 1;
    elements += 1;
    if (depth > maxDepth) reject('too-deep', `elements nested more than ${maxDepth} deep`);
    if (elements > maxElements) reject('too-many-elements', `more than ${maxElements} elements`);
    const qualified = tag as sax.QualifiedTag;
    const attributes: XmlAttribute[] = [];
    const declarations = new Map<string, string>();
    for (const a of Object.values(qualified.attributes)) {
      if (a.name === 'xmlns') declarations.set('', a.value);
      else if (a.prefix === 'xmlns') declarations.set(a.local, a.value);
      else attributes.push({ uri: a.uri, local: a.local, prefix: a.prefix, value: a.value });
    }
    const element = new XmlElement(qualified.uri, qualified.local, qualified.prefix, attributes, declarations, current);
    if (current) current.children.push(element);
    else root = element;
    current = element;
  };
  parser.onclosetag = () => {
    depth -= 1;
    current = current?.parent;
    if (depth === 0) rootClosed = true;
  };
  parser.ontext = (t: string) => {
    if (current) current.text += t;
  };
  parser.oncdata = (t: string) => {
    if (current) current.text += t;
  };

  parser.write(text).close();
  if (!root || !rootClosed) return reject('malformed', 'the document has no complete root element');
  return root;
}

function decode(buffer: Buffer, reject: (reason: 'encoding', detail: string) => never): string {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.subarray(3).toString('utf8');
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const head = buffer.subarray(0, 200).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared === undefined || ['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(declared)) return buffer.toString('utf8');
  if (['iso-8859-1', 'latin1', 'iso8859-1', 'iso_8859-1'].includes(declared)) return buffer.toString('latin1');
  return reject('encoding', `the document declares encoding "${declared}", which is not supported`);
}

/** True when the element is in the XML Schema instance `xsi:nil="true"` state. */
export function isNil(element: XmlElement): boolean {
  const nil = element.attribute('nil', NS.xsi);
  return nil === 'true' || nil === '1';
}
