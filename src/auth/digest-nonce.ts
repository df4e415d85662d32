import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless Digest nonces: issue time + random bytes + an HMAC over both with a per-server secret. The server
 * recognises its own nonces and their age without storing them (nonce counts are tracked separately).
 */
export class NonceMinter {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number,
  ) {}

  mint(): string {
    const body = Buffer.alloc(16);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.now()))), 0);
    randomBytes(8).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** Issue time in ms of a nonce this minter made, or undefined for a forged or foreign one. */
  issuedAt(nonce: string): number | undefined {
    if (nonce.length > 64) return undefined;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== 32) return undefined;
    const body = raw.subarray(0, 16);
    if (!timingSafeEqual(raw.subarray(16), this.mac(body))) return undefined;
    return Number(body.readBigUInt64BE(0));
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, 16);
  }
}
