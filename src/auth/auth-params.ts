/**
 * HTTP authentication header syntax (RFC 7235 §2.1, RFC 7616 §3.3-3.4): challenges in WWW-Authenticate, credentials
 * in Authorization. One header value may carry several challenges, and a reply may carry several headers.
 */

export interface AuthChallenge {
  /** Lower-cased scheme: `digest`, `basic`, ... */
  scheme: string;
  /** Parameters with lower-cased names; quoted values unquoted. */
  params: Map<string, string>;
  /** A token68 value (Basic credentials, some Negotiate challenges), when the scheme uses one. */
  token68?: string;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/y;
const WS = /[ \t]*/y;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  skip(re: RegExp): void {
    re.lastIndex = this.pos;
    if (re.exec(this.text)) this.pos = re.lastIndex;
  }
  read(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  skipSeparators(): void {
    while (!this.done && /[\s,]/.test(this.peek())) this.pos += 1;
  }
  quoted(): string | undefined {
    if (this.peek() !== '"') return undefined;
    let out = '';
    this.pos += 1;
    while (!this.done) {
      const c = this.text[this.pos]!;
      this.pos += 1;
      if (c === '\\' && !this.done) {
        out += this.text[this.pos];
        this.pos += 1;
      } else if (c === '"') return out;
      else out += c;
    }
    return undefined; // unterminated
  }
}

/** Reads `name=value, name="value"` pairs from `r` until a token that starts the next challenge. */
function readParams(r: Reader, params: Map<string, string>): boolean {
  for (;;) {
    r.skip(WS);
    while (r.peek() === ',') {
      r.pos += 1;
      r.skip(WS);
    }
    if (r.done) return true;
    const save = r.pos;
    const name = r.read(TOKEN);
    if (!name) return false;
    r.skip(WS);
    if (r.peek() !== '=') {
      r.pos = save; // the next challenge's scheme
      return true;
    }
    r.pos += 1;
    r.skip(WS);
    const value = r.peek() === '"' ? r.quoted() : r.read(TOKEN);
    if (value === undefined) return false;
    params.set(name.toLowerCase(), value);
  }
}

/** Every challenge in the given WWW-Authenticate (or Proxy-Authenticate) header values; malformed parts are skipped. */
export function parseChallenges(headerValues: readonly string[] | string | undefined): AuthChallenge[] {
  const values = headerValues === undefined ? [] : typeof headerValues === 'string' ? [headerValues] : headerValues;
  const out: AuthChallenge[] = [];
  for (const value of values) {
    const r = new Reader(value);
    while (!r.done) {
      r.skipSeparators();
      const scheme = r.read(TOKEN);
      if (!scheme) break;
      r.skip(WS);
      const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: new Map() };
      const token68 = r.read(TOKEN68);
      if (token68 !== undefined) challenge.token68 = token68;
      else if (!readParams(r, challenge.params)) break;
      out.push(challenge);
    }
  }
  return out;
}

/** The parameters of an `Authorization: Digest ...` header, or undefined when it is not Digest or not parseable. */
export function parseDigestCredentials(header: string | undefined): Map<string, string> | undefined {
  if (!header) return undefined;
  const [challenge] = parseChallenges(header);
  if (!challenge || challenge.scheme !== 'digest' || challenge.params.size === 0) return undefined;
  return challenge.params;
}

/** `name="value"` with the value escaped for a quoted-string. */
export function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The WWW-Authenticate values of a reply, from node's `rawHeaders` (where repeated headers stay separate). */
export function authenticateHeaders(rawHeaders: readonly string[], name = 'www-authenticate'): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) out.push(rawHeaders[i + 1]!);
  return out;
}
