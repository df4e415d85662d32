import { NS } from './namespaces.js';

/** A namespace-qualified name as found in a document: compare `uri` and `local`, never `prefix`. */
export interface ExpandedName {
  uri: string;
  local: string;
}

export interface XmlAttribute extends ExpandedName {
  prefix: string;
  value: string;
}

/**
 * One element of a parsed document. Children are elements only; `text` is the concatenation of this element's
 * own character data (CDATA included). Lookups take a namespace URI and a local name.
 */
export class XmlElement implements ExpandedName {
  readonly children: XmlElement[] = [];
  text = '';

  constructor(
    readonly uri: string,
    readonly local: string,
    readonly prefix: string,
    readonly attributes: readonly XmlAttribute[],
    /** Namespace declarations made on this element (prefix '' = default namespace). */
    readonly declarations: ReadonlyMap<string, string>,
    readonly parent: XmlElement | undefined,
  ) {}

  is(uri: string, local: string): boolean {
    return this.uri === uri && this.local === local;
  }

  /** First child element with this name. */
  child(uri: string, local: string): XmlElement | undefined {
    return this.children.find((c) => c.uri === uri && c.local === local);
  }

  /** Every child element with this name, in document order. */
  childrenNamed(uri: string, local: string): XmlElement[] {
    return this.children.filter((c) => c.uri === uri && c.local === local);
  }

  /** Trimmed text of the first child with this name, or undefined when there is no such child. */
  childText(uri: string, local: string): string | undefined {
    return this.child(uri, local)?.text.trim();
  }

  /** Follows a path of (uri, local) steps through first children. */
  find(...steps: ReadonlyArray<readonly [string, string]>): XmlElement | undefined {
    let current: XmlElement | undefined;
    for (const [uri, local] of steps) {
      current = (current ?? this).child(uri, local);
      if (!current) return undefined;
    }
    return current ?? this;
  }

  /** Attribute value by namespace URI ('' for unqualified attributes) and local name. */
  attribute(local: string, uri = ''): string | undefined {
    return this.attributes.find((a) => a.local === local && a.uri === uri)?.value;
  }

  /** The namespace URI bound to `prefix` at this element ('' = default namespace), or undefined. */
  lookupNamespace(prefix: string): string | undefined {
    if (prefix === 'xml') return NS.xml;
    const own = this.declarations.get(prefix);
    if (own !== undefined) return own;
    for (let e = this.parent; e; e = e.parent) {
      const uri = e.declarations.get(prefix);
      if (uri !== undefined) return uri;
    }
    return prefix === '' ? '' : undefined;
  }

  /**
   * Resolves a QName written in text or an attribute value (`dn:NetworkVideoTransmitter`) with the declarations
   * in scope here. Undefined when the prefix is not declared.
   */
  resolveQName(qname: string): ExpandedName | undefined {
    const text = qname.trim();
    const colon = text.indexOf(':');
    const prefix = colon < 0 ? '' : text.slice(0, colon);
    const local = colon < 0 ? text : text.slice(colon + 1);
    if (!local) return undefined;
    const uri = this.lookupNamespace(prefix);
    return uri === undefined ? undefined : { uri, local };
  }

  /** Resolves a whitespace-separated list of QNames; names with an undeclared prefix are left out. */
  resolveQNameList(text: string): ExpandedName[] {
    return text
      .split(/\s+/)
      .filter(Boolean)
      .map((q) => this.resolveQName(q))
      .filter((q): q is ExpandedName => q !== undefined);
  }

  /** `{uri}local` path from the root, for error messages. */
  get path(): string {
    const parts: string[] = [this.prefix ? `${this.prefix}:${this.local}` : this.local];
    for (let e = this.parent; e; e = e.parent) parts.unshift(e.prefix ? `${e.prefix}:${e.local}` : e.local);
    return `/${parts.join('/')}`;
  }
}
