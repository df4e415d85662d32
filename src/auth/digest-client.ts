import { randomBytes } from 'node:crypto';
import { DigestChallengeError } from '../errors/index.js';
import { parseChallenges, quote, type AuthChallenge } from './auth-params.js';
import { digestResponse, parseAlgorithm, type DigestAlgorithm } from './digest-hash.js';

const STRENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 4, 'SHA-256-sess': 3, MD5: 2, 'MD5-sess': 1 };

export interface DigestClientOptions {
  username: string;
  password: string;
  /** For error messages: the URL of the device. */
  source?: string;
}

/**
 * Client side of Digest: picks the strongest Digest challenge it supports among all WWW-Authenticate headers of a
 * reply (Hikvision sends MD5 and SHA-256), then computes Authorization values for as many requests as the nonce
 * lasts, counting `nc` up. Call `fromChallenges` again when the server answers 401 (a `stale=true` challenge
 * just means: retry with the new nonce).
 */
export class DigestClient {
  private nc = 0;

  private constructor(
    private readonly options: DigestClientOptions,
    readonly algorithm: DigestAlgorithm,
    readonly realm: string,
    private readonly nonce: string,
    private readonly qop: 'auth' | 'auth-int' | undefined,
    private readonly opaque: string | undefined,
    /** The server said the previous nonce was stale (the credentials were right). */
    readonly stale: boolean,
  ) {}

  /** Throws `DigestChallengeError` when no challenge is a Digest challenge this client can answer. */
  static fromChallenges(headerValues: readonly string[] | string | undefined, options: DigestClientOptions): DigestClient {
    const challenges = parseChallenges(headerValues);
    const chosen = selectDigestChallenge(challenges);
    if (!chosen) {
      const schemes = [...new Set(challenges.map((c) => c.scheme))];
      throw new DigestChallengeError(schemes.length ? `offered ${schemes.join(', ')} with no usable Digest challenge` : 'no WWW-Authenticate challenge', { source: options.source });
    }
    const { challenge, algorithm } = chosen;
    const offered = (challenge.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
    const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
    if (!qop && algorithm.endsWith('-sess')) throw new DigestChallengeError(`${algorithm} offered without qop`, { source: options.source });
    return new DigestClient(
      options,
      algorithm,
      challenge.params.get('realm') ?? '',
      challenge.params.get('nonce')!,
      qop,
      challenge.params.get('opaque'),
      (challenge.params.get('stale') ?? '').toLowerCase() === 'true',
    );
  }

  /** The Authorization header value for one request. `uri` is the request-target exactly as sent. */
  authorization(method: string, uri: string, body?: Buffer | string): string {
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const response = digestResponse({
      algorithm: this.algorithm,
      username: this.options.username,
      realm: this.realm,
      password: this.options.password,
      method,
      uri,
      nonce: this.nonce,
      qop: this.qop,
      nc,
      cnonce,
      body,
    });
    const parts = [
      `username=${quote(this.options.username)}`,
      `realm=${quote(this.realm)}`,
      `nonce=${quote(this.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${this.algorithm}`,
      `response=${quote(response)}`,
    ];
    if (this.qop) parts.push(`qop=${this.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    if (this.opaque !== undefined) parts.push(`opaque=${quote(this.opaque)}`);
    return `Digest ${parts.join(', ')}`;
  }
}

/** The strongest Digest challenge with an algorithm this client supports, or undefined. */
export function selectDigestChallenge(challenges: readonly AuthChallenge[]): { challenge: AuthChallenge; algorithm: DigestAlgorithm } | undefined {
  let best: { challenge: AuthChallenge; algorithm: DigestAlgorithm } | undefined;
  for (const challenge of challenges) {
    if (challenge.scheme !== 'digest' || !challenge.params.get('nonce')) continue;
    if ((challenge.params.get('userhash') ?? '').toLowerCase() === 'true') continue;
    const algorithm = parseAlgorithm(challenge.params.get('algorithm'));
    if (!algorithm) continue;
    if (!best || STRENGTH[algorithm] > STRENGTH[best.algorithm]) best = { challenge, algorithm };
  }
  return best;
}
