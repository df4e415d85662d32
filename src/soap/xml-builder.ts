import { XmlBuildError } from '../errors/index.js';

/**
 * Building XML from values, never from strings: every text and attribute value is escaped when serialised, names
 * are checked, and the namespaces an element tree uses are declared on its root. QName-valued text (SOAP fault
 * codes, WS-Discovery Types) is a node of its own so its prefixes are declared too.
 */

/** A namespace-qualified name for building. */
export interface QName {
  readonly uri: string;
  readonly prefix: string;
  readonly local: string;
}

export interface XmlElementNode {
  readonly kind: 'element';
  readonly name: QName;
  readonly attributes: readonly XmlAttributeNode[];
  readonly children: readonly XmlChildNode[];
}

export interface XmlAttributeNode {
  readonly kind: 'attribute';
  /** A plain string is an unqualified attribute. */
  readonly name: QName | string;
  readonly value: string | readonly QName[];
}

export interface XmlTextNode {
  readonly kind: 'text';
  readonly text: string;
}

/** Text made of whitespace-separated QNames (`dn:NetworkVideoTransmitter tds:Device`). */
export interface XmlQNamesNode {
  readonly kind: 'qnames';
  readonly names: readonly QName[];
}

export type XmlChildNode = XmlElementNode | XmlTextNode | XmlQNamesNode;

/** What may be passed as an element's content: nodes, values (escaped as text, booleans as true/false), arrays of them; null and undefined are skipped. */
export type XmlContent = XmlChildNode | XmlAttributeNode | string | number | boolean | null | undefined | readonly XmlContent[];

/** Unqualified attributes; undefined values are left out. */
export type XmlAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface XmlNamespace {
  /** An element of this namespace: `tt('Name', 'main')`, `tt('Bounds', { x: 0 })`, `tt('Profiles', { token }, [...])`. */
  (local: string, attrsOrContent?: XmlAttributes | XmlContent, content?: XmlContent): XmlElementNode;
  readonly uri: string;
  readonly prefix: string;
  qname(local: string): QName;
  /** A qualified attribute of this namespace (put it among an element's content). */
  attr(local: string, value: string | number | boolean): XmlAttributeNode;
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function checkName(local: string): string {
  if (!NCNAME.test(local)) throw new XmlBuildError(`invalid XML name "${local}"`);
  return local;
}

export function qname(uri: string, prefix: string, local: string): QName {
  return { uri, prefix: checkName(prefix), local: checkName(local) };
}

function isAttributes(value: unknown): value is XmlAttributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
}

/** A namespace to build elements with: `const tt = xmlNamespace('tt', NS.tt)`. */
export function xmlNamespace(prefix: string, uri: string): XmlNamespace {
  checkName(prefix);
  const make = (local: string, attrsOrContent?: XmlAttributes | XmlContent, content?: XmlContent): XmlElementNode =>
    isAttributes(attrsOrContent) ? element(qname(uri, prefix, local), attrsOrContent, content) : element(qname(uri, prefix, local), {}, attrsOrContent);
  return Object.assign(make, {
    uri,
    prefix,
    qname: (local: string) => qname(uri, prefix, local),
    attr: (local: string, value: string | number | boolean): XmlAttributeNode => ({ kind: 'attribute', name: qname(uri, prefix, local), value: String(value) }),
  });
}

/** An element in no namespace (rare in SOAP; unqualified children of a TopicSet). */
export function unqualified(local: string, attrs: XmlAttributes = {}, content?: XmlContent): XmlElementNode {
  // No prefix: `qname()` would check the empty prefix as an XML name and always refuse it.
  return element({ uri: '', prefix: '', local: checkName(local) }, attrs, content);
}

export function element(name: QName, attrs: XmlAttributes = {}, content?: XmlContent): XmlElementNode {
  const attributes: XmlAttributeNode[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    attributes.push({ kind: 'attribute', name: checkName(key), value: String(value) });
  }
  const children: XmlChildNode[] = [];
  const add = (c: XmlContent): void => {
    if (c === null || c === undefined) return;
    if (Array.isArray(c)) {
      for (const item of c as readonly XmlContent[]) add(item);
      return;
    }
    if (typeof c === 'object') {
      const node = c as XmlChildNode | XmlAttributeNode;
      if (node.kind === 'attribute') attributes.push(node);
      else children.push(node);
      return;
    }
    children.push({ kind: 'text', text: String(c) });
  };
  add(content);
  return { kind: 'element', name, attributes, children };
}

/** Text made of QNames; their namespaces get declared. */
export function qnames(...names: QName[]): XmlQNamesNode {
  return { kind: 'qnames', names };
}

export function qnameAttr(local: string, ...names: QName[]): XmlAttributeNode {
  return { kind: 'attribute', name: checkName(local), value: names };
}

// XML 1.0 Char production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, supplementary planes (valid surrogate pairs).
// eslint-disable-next-line no-control-regex -- matching the control characters XML cannot carry is the point
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes character data. Characters XML cannot carry at all become U+FFFD. */
export function escapeText(text: string): string {
  return text.replace(INVALID_CHARS, '\uFFFD').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Escapes an attribute value (double-quoted), keeping whitespace characters as character references. */
export function escapeAttribute(text: string): string {
  return text.replace(INVALID_CHARS, '\uFFFD').replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

export interface SerializeOptions {
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>`. @defaultValue true */
  declaration?: boolean;
  /** Namespaces to declare on the root even if unused. */
  declare?: readonly QName[];
}

/** Serialises an element tree; every namespace used anywhere in it is declared once, on the root. */
export function serializeXml(root: XmlElementNode, options: SerializeOptions = {}): string {
  const namespaces = new Map<string, string>();
  const use = (name: QName | string): void => {
    if (typeof name === 'string' || name.prefix === '' || name.prefix === 'xml') return;
    const known = namespaces.get(name.prefix);
    if (known === undefined) namespaces.set(name.prefix, name.uri);
    else if (known !== name.uri) throw new XmlBuildError(`prefix "${name.prefix}" is bound to both ${known} and ${name.uri}`);
  };
  for (const q of options.declare ?? []) use(q);
  collect(root, use);

  const out: string[] = [];
  if (options.declaration ?? true) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  write(root, out, namespaces);
  return out.join('');
}

function collect(node: XmlElementNode, use: (name: QName | string) => void): void {
  use(node.name);
  for (const a of node.attributes) {
    use(a.name);
    if (typeof a.value !== 'string') for (const q of a.value) use(q);
  }
  for (const child of node.children) {
    if (child.kind === 'element') collect(child, use);
    else if (child.kind === 'qnames') for (const q of child.names) use(q);
  }
}

function nameOf(name: QName | string): string {
  return typeof name === 'string' ? name : name.prefix ? `${name.prefix}:${name.local}` : name.local;
}

function qnameText(names: readonly QName[]): string {
  return names.map((q) => nameOf(q)).join(' ');
}

function write(node: XmlElementNode, out: string[], rootNamespaces: Map<string, string> | undefined): void {
  const tag = nameOf(node.name);
  out.push('<', tag);
  if (rootNamespaces) {
    for (const [prefix, uri] of rootNamespaces) out.push(' xmlns:', prefix, '="', escapeAttribute(uri), '"');
    // Unqualified elements under a root with a default namespace would need xmlns=""; roots never set one here.
  }
  for (const a of node.attributes) {
    const value = typeof a.value === 'string' ? a.value : qnameText(a.value);
    out.push(' ', nameOf(a.name), '="', escapeAttribute(value), '"');
  }
  if (node.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of node.children) {
    if (child.kind === 'element') write(child, out, undefined);
    else if (child.kind === 'text') out.push(escapeText(child.text));
    else out.push(escapeText(qnameText(child.names)));
  }
  out.push('</', tag, '>');
}
