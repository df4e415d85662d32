import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseDigestCredentials, quote } from './auth-params.js';
import type { CredentialLookup } from './credentials.js';
import { digestResponse, parseAlgorithm, type DigestAlgorithm } from './digest-hash.js';
import { NonceMinter } from './digest-nonce.js';

export interface DigestServerOptions {
  /** Protection space shown to users (`realm`). */
  realm: string;
  credentials: CredentialLookup;
  /** One challenge per algorithm, in this order (most preferred first). @defaultValue ['MD5'] */
  algorithms?: readonly DigestAlgorithm[];
  /** Offer qop="auth". Clients that answer without qop (RFC 2069, e.g. GStreamer) are still accepted. @defaultValue true */
  qop?: boolean;
  /** Accept responses without qop even when qop was offered (RFC 2069 clients). @defaultValue true */
  allowWithoutQop?: boolean;
  /** Age after which a nonce is stale (the client retries with a fresh one, no new password prompt). @defaultValue 300 */
  nonceLifetimeSeconds?: number;
  /** Nonces whose counts are tracked for replay detection. @defaultValue 10 000 */
  maxTrackedNonces?: number;
  /** Clock in ms. @defaultValue Date.now */
  now?: () => number;
  /** `opaque` value echoed by clients. @defaultValue random */
  opaque?: string;
}

export type DigestFailure =
  | 'missing'
  | 'malformed'
  | 'realm-mismatch'
  | 'uri-mismatch'
  | 'unsupported-algorithm'
  | 'unknown-user'
  | 'wrong-password'
  | 'bad-nonce'
  | 'stale'
  | 'replay'
  | 'qop-required';

export type DigestVerification =
  | { ok: true; username: string; algorithm: DigestAlgorithm }
  | { ok: false; reason: DigestFailure; username?: string; detail: string };

export interface DigestRequest {
  method: string;
  /** The request-target as it arrived (path for HTTP, absolute URL for RTSP). */
  uri: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The body, for qop=auth-int. */
  body?: Buffer;
}

const NC_WINDOW = 128;

/**
 * Server side of HTTP/RTSP Digest authentication (RFC 2617 MD5, RFC 7616 SHA-256 and -sess variants). Nonces are
 * HMAC-signed and time-limited; nonce counts are tracked so a captured header cannot be replayed; the digest `uri`
 * must designate the requested resource. No I/O: it builds challenges and checks credentials.
 */
export class DigestServer {
  readonly realm: string;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly minter: NonceMinter;
  private readonly now: () => number;
  private readonly lifetimeMs: number;
  private readonly opaque: string;
  private readonly counts = new Map<string, { max: number; seen: Set<number> }>();

  constructor(private readonly options: DigestServerOptions) {
    this.realm = options.realm;
    this.algorithms = options.algorithms?.length ? options.algorithms : ['MD5'];
    this.now = options.now ?? Date.now;
    this.minter = new NonceMinter(randomBytes(32), this.now);
    this.lifetimeMs = (options.nonceLifetimeSeconds ?? 300) * 1000;
    this.opaque = options.opaque ?? randomBytes(8).toString('hex');
  }

  /** WWW-Authenticate values, one per algorithm (send each as its own header). */
  challenge(options: { stale?: boolean } = {}): string[] {
    return this.algorithms.map((algorithm) => {
      const parts = [`realm=${quote(this.realm)}`];
      if (this.options.qop ?? true) parts.push('qop="auth"');
      parts.push(`nonce=${quote(this.minter.mint())}`, `opaque=${quote(this.opaque)}`, `algorithm=${algorithm}`);
      if (options.stale) parts.push('stale=true');
      return `Digest ${parts.join(', ')}`;
    });
  }

  verify(request: DigestRequest): DigestVerification {
    const fail = (reason: DigestFailure, detail: string, username?: string): DigestVerification => ({ ok: false, reason, detail, username });
    if (!request.authorization) return fail('missing', 'no Authorization header');
    const p = parseDigestCredentials(request.authorization);
    if (!p) return fail('malformed', 'the Authorization header is not Digest credentials');
    const username = p.get('username') ?? decodeExtended(p.get('username*'));
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    if (username === undefined || realm === undefined || !nonce || uri === undefined || !response) {
      return fail('malformed', 'Digest credentials lack username, realm, nonce, uri or response', username);
    }
    if (p.get('userhash') === 'true') return fail('malformed', 'userhash is not supported', username);
    if (realm !== this.realm) return fail('realm-mismatch', `realm "${realm}" is not "${this.realm}"`, username);
    if (!sameResource(uri, request.uri)) return fail('uri-mismatch', `digest uri "${uri}" does not match the request "${request.uri}"`, username);
    const algorithm = parseAlgorithm(p.get('algorithm'));
    if (!algorithm || !this.algorithms.includes(algorithm)) return fail('unsupported-algorithm', `algorithm ${p.get('algorithm')} was not offered`, username);
    const issued = this.minter.issuedAt(nonce);
    if (issued === undefined) return fail('bad-nonce', 'the nonce was not issued by this server', username);

    const qopValue = p.get('qop');
    const qop = qopValue === 'auth' || qopValue === 'auth-int' ? qopValue : undefined;
    if (qopValue !== undefined && !qop) return fail('malformed', `qop "${qopValue}" is not supported`, username);
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    if (qop && (!nc || !/^[0-9a-fA-F]{1,8}$/.test(nc) || !cnonce)) return fail('malformed', 'qop given without a valid nc and cnonce', username);
    if (!qop && (this.options.qop ?? true) && !(this.options.allowWithoutQop ?? true)) return fail('qop-required', 'qop=auth is required', username);
    if (!qop && algorithm.endsWith('-sess')) return fail('malformed', `${algorithm} needs qop and cnonce`, username);

    const password = this.options.credentials(username);
    // Compute something for unknown users too, so timing does not tell which user names exist.
    const expected = digestResponse({ algorithm, username, realm, password: password ?? randomBytes(16).toString('hex'), method: request.method, uri, nonce, qop, nc, cnonce, body: request.body });
    const given = Buffer.from(response.toLowerCase());
    const want = Buffer.from(expected);
    const match = given.length === want.length && timingSafeEqual(given, want);
    if (password === undefined) return fail('unknown-user', `no user "${username}"`, username);
    if (!match) return fail('wrong-password', `wrong password for "${username}"`, username);
    if (this.now() - issued > this.lifetimeMs) return fail('stale', 'the nonce expired', username);
    if (qop && nc && !this.countNonce(nonce, Number.parseInt(nc, 16))) return fail('replay', `nonce count ${nc} was already used`, username);
    return { ok: true, username, algorithm };
  }

  /** Records a nonce count; false when it was already used (or is too old to tell). */
  private countNonce(nonce: string, nc: number): boolean {
    let entry = this.counts.get(nonce);
    if (!entry) {
      entry = { max: 0, seen: new Set() };
      this.counts.set(nonce, entry);
      const limit = this.options.maxTrackedNonces ?? 10_000;
      while (this.counts.size > limit) this.counts.delete(this.counts.keys().next().value as string);
    }
    if (entry.seen.has(nc) || nc <= entry.max - NC_WINDOW) return false;
    entry.seen.add(nc);
    entry.max = Math.max(entry.max, nc);
    if (entry.seen.size > NC_WINDOW) for (const n of entry.seen) if (n <= entry.max - NC_WINDOW) entry.seen.delete(n);
    return true;
  }
}

/** RFC 5987 `UTF-8''percent-encoded` values (username*). */
function decodeExtended(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch (_error) {
    return undefined; // not valid percent-encoding: treated as no user name, which fails verification
  }
}

/** Same path and query (RTSP clients may put an absolute URL in one and a path in the other). */
function sameResource(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  const a = resourceOf(digestUri);
  const b = resourceOf(requestUri);
  return a !== undefined && a === b;
}

function resourceOf(uri: string): string | undefined {
  try {
    const u = new URL(uri, 'http://placeholder');
    return `${u.pathname.replace(/\/+$/, '') || '/'}${u.search}`;
  } catch (_error) {
    return undefined; // not a URL: only an exact match can succeed
  }
}
