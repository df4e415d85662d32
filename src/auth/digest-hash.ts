import { createHash } from 'node:crypto';

/** Digest algorithms (RFC 7616 §3.3; MD5 is RFC 2617's and the default). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

/** Parses an `algorithm=` value (case-insensitive; absent means MD5), or undefined when unsupported. */
export function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === value.trim().toLowerCase());
}

function hash(algorithm: DigestAlgorithm, text: string | Buffer): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text)
    .digest('hex');
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** 'auth', 'auth-int', or undefined for the RFC 2069 form (no qop, no nc, no cnonce). */
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
  /** The entity body, for qop=auth-int. */
  body?: Buffer | string;
}

/** The `response` value of a Digest exchange. */
export function digestResponse(i: DigestInputs): string {
  let ha1 = hash(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith('-sess')) ha1 = hash(i.algorithm, `${ha1}:${i.nonce}:${i.cnonce ?? ''}`);
  const ha2 =
    i.qop === 'auth-int' ? hash(i.algorithm, `${i.method}:${i.uri}:${hash(i.algorithm, i.body ?? '')}`) : hash(i.algorithm, `${i.method}:${i.uri}`);
  return i.qop ? hash(i.algorithm, `${ha1}:${i.nonce}:${i.nc ?? ''}:${i.cnonce ?? ''}:${i.qop}:${ha2}`) : hash(i.algorithm, `${ha1}:${i.nonce}:${ha2}`);
}
