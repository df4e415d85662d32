/** Minimal XML writing: elements in the order given, text escaped. Enough for Analytics Event documents. */
export type XmlNode = [name: string, content: string | number | boolean | XmlNode[] | undefined];

export function escapeXml(text: string): string {
  return withoutControlCharacters(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** XML 1.0 forbids control characters other than tab, line feed and carriage return: they are dropped. */
function withoutControlCharacters(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) out += c;
  }
  return out;
}

/** Serialises nodes; `undefined` content drops the element (optional elements left out). */
export function writeXml(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const [name, content] of nodes) {
    if (content === undefined) continue;
    if (Array.isArray(content)) out += `<${name}>${writeXml(content)}</${name}>`;
    else out += `<${name}>${escapeXml(String(content))}</${name}>`;
  }
  return out;
}
