import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the HMAC-SHA256 of `${id}.${timestamp}.${body}`,
 * base64, sent as `webhook-signature: v1,<signature>` beside `webhook-id` and `webhook-timestamp` (Unix seconds).
 * Receivers recompute it and reject a timestamp too far from their clock, which defeats replays.
 * A secret of the form `whsec_<base64>` is the base64 key itself (as Standard Webhooks libraries expect); any
 * other secret is used as UTF-8 bytes.
 */
export function signatureKey(secret: string): KeyObject {
  return createSecretKey(secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8'));
}

export function sign(key: KeyObject, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}
