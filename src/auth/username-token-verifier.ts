import { timingSafeEqual } from 'node:crypto';
import type { XmlElement } from '../soap/index.js';
import type { CredentialLookup } from './credentials.js';
import { NonceCache } from './nonce-cache.js';
import { passwordDigest, readUsernameToken } from './username-token.js';

export interface UsernameTokenVerifierOptions {
  credentials: CredentialLookup;
  /** The device's clock in ms (its own time, with any offset it runs with). @defaultValue Date.now */
  now?: () => number;
  /** Largest accepted distance between `Created` and the device clock, either way, in seconds. @defaultValue 300 */
  maxClockSkewSeconds?: number;
  /** Tokens (Nonce with Created) remembered against replay, each for twice the skew window. @defaultValue 10 000 */
  maxNonces?: number;
  /** Accept PasswordText tokens (the password in clear). @defaultValue false */
  allowPasswordText?: boolean;
}

export type UsernameTokenFailure =
  | 'missing'
  | 'malformed'
  | 'no-nonce-or-created'
  | 'bad-created'
  | 'stale'
  | 'future'
  | 'replay'
  | 'unknown-user'
  | 'wrong-password'
  | 'password-text-refused';

export type UsernameTokenVerification =
  | { ok: true; username: string }
  | {
      ok: false;
      reason: UsernameTokenFailure;
      detail: string;
      username?: string;
      /** Created minus device time, in seconds, when Created was readable (helps diagnose clock offsets). */
      skewSeconds?: number;
    };

/**
 * Server side of WS-Security UsernameToken with PasswordDigest: checks the digest, requires Nonce and Created
 * (ONVIF Core), refuses a Created outside the clock window and a token (Nonce with Created) seen before.
 */
export class UsernameTokenVerifier {
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly nonces: NonceCache;

  constructor(private readonly options: UsernameTokenVerifierOptions) {
    this.now = options.now ?? Date.now;
    this.skewMs = (options.maxClockSkewSeconds ?? 300) * 1000;
    this.nonces = new NonceCache(2 * this.skewMs, options.maxNonces ?? 10_000, this.now);
  }

  verify(header: XmlElement | undefined): UsernameTokenVerification {
    const token = readUsernameToken(header);
    if (token === undefined) return { ok: false, reason: 'missing', detail: 'no wsse:Security UsernameToken in the SOAP header' };
    if (token === 'malformed') return { ok: false, reason: 'malformed', detail: 'the UsernameToken lacks Username or Password, or has an unknown Password Type' };
    const { username } = token;
    const password = this.options.credentials(username);

    if (token.passwordType === 'text') {
      if (!this.options.allowPasswordText) return { ok: false, reason: 'password-text-refused', detail: 'PasswordText tokens are refused: use PasswordDigest', username };
      if (password === undefined) return { ok: false, reason: 'unknown-user', detail: `no user "${username}"`, username };
      return safeEqual(token.password, password) ? { ok: true, username } : { ok: false, reason: 'wrong-password', detail: `wrong password for "${username}"`, username };
    }

    if (!token.nonce || !token.created) return { ok: false, reason: 'no-nonce-or-created', detail: 'PasswordDigest needs both Nonce and Created', username };
    const created = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(token.created) ? token.created : `${token.created}Z`);
    if (Number.isNaN(created)) return { ok: false, reason: 'bad-created', detail: `Created "${token.created.slice(0, 40)}" is not a date-time`, username };
    const skewSeconds = Math.round((created - this.now()) / 1000);
    const nonceBytes = Buffer.from(token.nonce, 'base64');
    if (nonceBytes.length === 0) return { ok: false, reason: 'malformed', detail: 'the Nonce is empty or not Base64', username };
    const expected = passwordDigest(nonceBytes, token.created, password ?? '\u0000no-such-user');
    if (password === undefined) return { ok: false, reason: 'unknown-user', detail: `no user "${username}"`, username, skewSeconds };
    if (!safeEqual(token.password, expected)) return { ok: false, reason: 'wrong-password', detail: `wrong password for "${username}"`, username, skewSeconds };
    if (created < this.now() - this.skewMs) {
      return { ok: false, reason: 'stale', detail: `Created is ${-skewSeconds} s older than the device clock (window ${this.skewMs / 1000} s)`, username, skewSeconds };
    }
    if (created > this.now() + this.skewMs) {
      return { ok: false, reason: 'future', detail: `Created is ${skewSeconds} s ahead of the device clock (window ${this.skewMs / 1000} s)`, username, skewSeconds };
    }
    // A replay is the same Nonce with the same Created (a captured token sent again). A new Created makes a new
    // digest only the password holder can compute, so libonvif (onvif-util), which keeps one Nonce per session
    // and stamps each request afresh, is not mistaken for an attacker.
    if (!this.nonces.add(`${token.nonce} ${token.created}`)) return { ok: false, reason: 'replay', detail: 'this token (Nonce and Created) was already used', username, skewSeconds };
    return { ok: true, username };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
