import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretKeyError } from '../errors/index.js';

const VERSION = 'v1';

/**
 * Encryption at rest of secrets kept in the store (camera passwords): AES-256-GCM with a random 96-bit IV per value,
 * the 128-bit tag checked on reading, and the owner (a camera id) as additional authenticated data so a value cannot
 * be moved to another row. A stored value reads `v1:<key id>:<base64 iv|tag|ciphertext>`; the key id (an HMAC of
 * the key, not the key) tells which key wrote it, so a wrong key is reported as such instead of as corruption.
 */
export class SecretBox {
  readonly keyId: string;

  private constructor(private readonly key: Buffer) {
    this.keyId = createHmac('sha256', key).update('vigie secret key id').digest('hex').slice(0, 16);
  }

  /**
   * The box for VIGIE_SECRET_KEY: 32 bytes as 64 hex digits or base64. Undefined when the variable is unset or
   * empty (secrets are then not stored at all); `SecretKeyError` when it is set but unusable.
   */
  static fromKey(text: string | undefined): SecretBox | undefined {
    const value = text?.trim();
    if (!value) return undefined;
    let key: Buffer | undefined;
    if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
    else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (!key || key.length !== 32) throw new SecretKeyError('invalid', `expected 32 bytes as 64 hex digits or base64, got ${value.length} characters`);
    if (key.every((b) => b === key[0])) throw new SecretKeyError('invalid', 'the key is one byte repeated: use random bytes');
    return new SecretBox(key);
  }

  encrypt(plain: string, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(owner, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The key id a stored value was written with, or undefined when it is not a value of this format. */
  static keyIdOf(stored: string): string | undefined {
    const m = /^v1:([0-9a-f]{16}):/.exec(stored);
    return m?.[1];
  }

  /** Decrypts a stored value; `SecretKeyError` (mismatch) when another key wrote it or it was altered. */
  decrypt(stored: string, owner: string): string {
    const m = /^v1:([0-9a-f]{16}):([A-Za-z0-9+/=]+)$/.exec(stored);
    if (!m) throw new SecretKeyError('mismatch', `a stored value of ${owner} is not in the v1 format`);
    if (m[1] !== this.keyId) throw new SecretKeyError('mismatch', `the password of ${owner} was encrypted with key ${m[1]}, the current key is ${this.keyId}`);
    const raw = Buffer.from(m[2]!, 'base64');
    if (raw.length < 28) throw new SecretKeyError('mismatch', `the stored password of ${owner} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(owner, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SecretKeyError('mismatch', `the stored password of ${owner} does not authenticate (altered, or moved from another row): ${(cause as Error).message}`);
    }
  }
}
