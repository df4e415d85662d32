/**
 * Deterministic fuzzing helpers: a seeded PRNG and mutators that turn valid XML messages into the broken, hostile
 * or merely unusual documents devices and networks produce. Failures print the seed and the mutation name.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const int = (rng: Rng, n: number) => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

const JUNK = ['<', '>', '&', '&amp;', '&#0;', '&#xD800;', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<![CDATA[', '"', "'", '\u0000', '\uFFFF', '\uD800', 'é', '💥', '<x:y xmlns:x="">', 'xmlns=""', ' ', '\n', '</', '/>', ':', 'urn:uuid:', 'http://', '%00', '\\'];

/** Mutations of a valid XML text (or bytes); each returns the bytes and a name for failure messages. */
export const XML_MUTATIONS: ReadonlyArray<[string, (xml: string, rng: Rng) => Buffer | string]> = [
  ['bit flips', (xml, rng) => {
    const b = Buffer.from(xml);
    for (let i = 0, n = 1 + int(rng, 8); i < n; i += 1) {
      const at = int(rng, b.length);
      b[at] = (b[at] ?? 0) ^ (1 << int(rng, 8));
    }
    return b;
  }],
  ['truncated', (xml, rng) => xml.slice(0, int(rng, xml.length))],
  ['junk inserted', (xml, rng) => {
    let s = xml;
    for (let i = 0, n = 1 + int(rng, 5); i < n; i += 1) {
      const at = int(rng, s.length);
      s = s.slice(0, at) + pick(rng, JUNK) + s.slice(at);
    }
    return s;
  }],
  ['element removed', (xml, rng) => {
    const tags = [...xml.matchAll(/<([\w-]+:)?([\w.-]+)[^>]*>[^<]*<\/\1?\2>/g)];
    if (tags.length === 0) return xml;
    const m = pick(rng, tags);
    return xml.slice(0, m.index) + xml.slice(m.index + m[0].length);
  }],
  ['element duplicated', (xml, rng) => {
    const tags = [...xml.matchAll(/<([\w-]+:)?([\w.-]+)[^>]*>[^<]*<\/\1?\2>/g)];
    if (tags.length === 0) return xml;
    const m = pick(rng, tags);
    return xml.slice(0, m.index) + m[0] + m[0] + xml.slice(m.index);
  }],
  ['text replaced', (xml, rng) => xml.replace(/>([^<]+)</g, (all, _t: string) => (rng() < 0.3 ? `>${pick(rng, ['', '-1', '99999999999999999999', 'NaN', '1e400', '0x1F', 'true', ' ', 'http://[::1', 'javascript:alert(1)', 'rtsp://', '\u0000', 'A'.repeat(5000)])}<` : all))],
  ['namespace swapped', (xml, rng) => {
    const uris = [...new Set([...xml.matchAll(/xmlns:\w+="([^"]+)"/g)].map((m) => m[1]!))];
    if (uris.length < 2) return xml;
    const a = pick(rng, uris);
    const b = pick(rng, uris);
    return xml.split(`"${a}"`).join('"__A__"').split(`"${b}"`).join(`"${a}"`).split('"__A__"').join(`"${b}"`);
  }],
  ['prefixes renamed', (xml) => xml.replace(/\b(s|d|a|env|SOAP-ENV|tds|tt|trt|tr2):/g, 'p$1x:').replace(/xmlns:(s|d|a|env|SOAP-ENV|tds|tt|trt|tr2)=/g, 'xmlns:p$1x=')],
  ['doctype bomb', (xml) => `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml.replace(/^<\?xml[^>]*>/, '')}`],
  ['external entity', () => '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>&x;</s:Body></s:Envelope>'],
  ['deep nesting', (_xml, rng) => `${'<a>'.repeat(100 + int(rng, 5000))}${'</a>'.repeat(50)}`],
  ['many elements', () => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${'<x/>'.repeat(12_000)}</s:Body></s:Envelope>`],
  ['soap 1.1', (xml) => xml.split('http://www.w3.org/2003/05/soap-envelope').join('http://schemas.xmlsoap.org/soap/envelope/')],
  ['utf-16', (xml) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')])],
  ['invalid utf-8', (xml, rng) => {
    const b = Buffer.from(xml);
    const at = int(rng, b.length);
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82]), b.subarray(at)]);
  }],
  ['declared latin-1', (xml) => Buffer.from(xml.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1')],
  ['declared ebcdic', (xml) => xml.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="EBCDIC-CP-US"?>')],
  ['random bytes', (_xml, rng) => Buffer.from(Array.from({ length: int(rng, 1400) }, () => int(rng, 256)))],
  ['empty', () => ''],
  ['content after root', (xml) => `${xml}<s:Envelope/>`],
];

export function mutate(xml: string, rng: Rng): { name: string; data: Buffer } {
  const [name, fn] = pick(rng, XML_MUTATIONS);
  const out = fn(xml, rng);
  return { name, data: Buffer.isBuffer(out) ? out : Buffer.from(out, 'utf8') };
}
