import { VigieError } from './vigie-error.js';

/** A server asked for HTTP/RTSP authentication in a form this client cannot answer. */
export class DigestChallengeError extends VigieError {
  readonly code = 'AUTH_CHALLENGE_UNSUPPORTED';

  constructor(detail: string, options: { source?: string } = {}) {
    super(`cannot answer the authentication challenge${options.source ? ` of ${options.source}` : ''}: ${detail}`, {
      hint: 'the device asks for an authentication scheme Vigie does not speak (it supports Digest MD5, MD5-sess, SHA-256, SHA-256-sess); enable Digest on the device',
    });
  }
}
