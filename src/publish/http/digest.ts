import { createHash, randomBytes } from 'node:crypto';

/** A parsed `WWW-Authenticate: Digest …` challenge (RFC 7616). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  /** `MD5`, `MD5-sess`, `SHA-256` or `SHA-256-sess`. */
  algorithm: string;
  /** `auth` when the server offers it (auth-int is not used). */
  qop: 'auth' | undefined;
  stale: boolean;
}

const SUPPORTED = ['SHA-256', 'SHA-256-SESS', 'MD5', 'MD5-SESS'];

/**
 * The best Digest challenge in a WWW-Authenticate header (several challenges may be joined by commas): SHA-256
 * first, then MD5. Undefined when there is no usable Digest challenge.
 */
export function parseDigestChallenge(header: string | string[] | undefined): DigestChallenge | undefined {
  const text = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const parts = text.split(/(?:^|,)\s*(?=Digest\s)/i).filter((p) => /^Digest\s/i.test(p.trim()));
  const challenges = parts.map((p) => parseParams(p.trim().replace(/^Digest\s+/i, ''))).filter((p) => p.realm !== undefined && p.nonce !== undefined);
  const usable = challenges
    .map((p) => ({ p, algorithm: (p.algorithm ?? 'MD5').toUpperCase() }))
    .filter((c) => SUPPORTED.includes(c.algorithm))
    .sort((a, b) => SUPPORTED.indexOf(a.algorithm) - SUPPORTED.indexOf(b.algorithm));
  const best = usable[0];
  if (!best) return undefined;
  const qops = (best.p.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
  return {
    realm: best.p.realm!,
    nonce: best.p.nonce!,
    opaque: best.p.opaque,
    algorithm: best.p.algorithm ?? 'MD5',
    qop: qops.includes('auth') ? 'auth' : undefined,
    stale: (best.p.stale ?? '').toLowerCase() === 'true',
  };
}

/** The Authorization header answering `challenge`; `nc` counts the requests made with this nonce (1, 2, …). */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: { username: string; password: string },
  request: { method: string; uri: string },
  nc: number,
  cnonce: string = randomBytes(12).toString('hex'),
): string {
  const algorithm = challenge.algorithm.toUpperCase();
  const hash = (text: string) => createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(text, 'utf8').digest('hex');
  let ha1 = hash(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  const ncText = nc.toString(16).padStart(8, '0');
  const response = challenge.qop ? hash(`${ha1}:${challenge.nonce}:${ncText}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [
    `username="${quote(credentials.username)}"`,
    `realm="${quote(challenge.realm)}"`,
    `nonce="${quote(challenge.nonce)}"`,
    `uri="${quote(request.uri)}"`,
    `algorithm=${challenge.algorithm}`,
    `response="${response}"`,
  ];
  if (challenge.qop) fields.push('qop=auth', `nc=${ncText}`, `cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) fields.push(`opaque="${quote(challenge.opaque)}"`);
  return `Digest ${fields.join(', ')}`;
}

function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** `realm="a, b", nonce=xyz, qop="auth,auth-int"` → { realm: 'a, b', nonce: 'xyz', qop: 'auth,auth-int' }. */
function parseParams(text: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of text.matchAll(re)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return out;
}
