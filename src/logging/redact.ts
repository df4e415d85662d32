/**
 * Credential scrubbing for anything that may reach a log line, an error message or a process argv dump.
 * Camera URLs routinely embed `user:password@`, and SOAP dumps carry WS-Security passwords.
 */

/** Field names whose values are secrets. ONVIF's `profileToken`-style names are identifiers, not secrets, and stay. */
const SECRET_KEY =
  /(^|[_-])(pass(word)?|passwd|pwd|secret|api[_-]?key|authori[sz]ation|credentials?|cookie|private[_-]?key|signature|secret[_-]?key)$|password$|secret$|^((access|refresh|bearer|auth|session)[_-]?)?token$/i;
const USER_KEY = /^(user(name)?|login)$/i;

/** `scheme://user:pass@host` and `scheme://user@host` lose their userinfo. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi;
/** `password=...`, `token=...` in query strings and `key: value` text. */
const QUERY_SECRET = /\b(pass(?:word)?|passwd|pwd|token|access_token|api[-_]?key|secret|auth)=([^&\s'"<>]+)/gi;
/** WS-Security and HTTP headers inside text dumps. */
const XML_SECRET = /(<(?:[\w-]+:)?(?:Password|Nonce)\b[^>]*>)[^<]*(<\/)/gi;
const HEADER_SECRET = /\b(authorization|proxy-authorization|www-authenticate)(\s*:\s*)(digest|basic|bearer)?\s*[^\r\n]*/gi;

export const REDACTED = '[REDACTED]';

export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, '$1***@')
    .replace(QUERY_SECRET, `$1=${REDACTED}`)
    .replace(XML_SECRET, `$1${REDACTED}$2`)
    .replace(HEADER_SECRET, (_m, name: string, sep: string, scheme?: string) => `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`);
}

/**
 * Deep copy of `value` with secret-named fields replaced and every string scrubbed. Cycles and depth are
 * bounded so a logger never hangs on a strange object.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[Truncated]';
  seen.add(value);
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof URL) return redactText(value.href);
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, depth, seen);
    if (value.cause !== undefined) out.cause = redactValue(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, depth, seen);
  return out;
}

function redactEntry(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value !== null && value !== undefined && value !== '' && typeof value !== 'object' && SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'string' && USER_KEY.test(key)) return REDACTED;
  if (value !== null && typeof value === 'object' && SECRET_KEY.test(key) && !Array.isArray(value)) return REDACTED;
  return redactValue(value, depth + 1, seen);
}

/** For an argv about to be logged (ffmpeg, gst-launch): each element scrubbed. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map(redactText);
}
