import type { DigestServer, UsernameTokenVerifier } from '../auth/index.js';
import type { Logger } from '../logging/index.js';
import { NS, ter, type AuthDecision, type SoapAuthorizer } from '../soap/index.js';

export type AuthMode = 'digest' | 'wsse' | 'both';

const NOT_AUTHORIZED = { code: 'Sender' as const, subcodes: [ter('NotAuthorized')], reason: 'Sender not authorized' };

/**
 * How a camera decides who may call an operation (ONVIF Core §5.9.1, as real cameras do it): PRE_AUTH operations
 * are open; otherwise HTTP Digest (`digest`), WS-UsernameToken (`wsse`), or either (`both`). Without credentials a
 * Digest camera answers 401 with a challenge, a UsernameToken-only camera 400 with the `ter:NotAuthorized` fault.
 * When a request carries both, HTTP is checked first, then WS. The real reason of a refusal is logged, not sent.
 */
export function createOnvifAuthorizer(options: { mode: AuthMode; digest: DigestServer; tokens: UsernameTokenVerifier; logger: Logger }): SoapAuthorizer {
  const { mode, digest, tokens, logger } = options;
  const challenge = (stale = false): AuthDecision => ({ allowed: false, status: 401, headers: { 'WWW-Authenticate': digest.challenge({ stale }) }, fault: NOT_AUTHORIZED });
  const refuse: AuthDecision = { allowed: false, status: 400, fault: NOT_AUTHORIZED };

  return (ctx, rawBody) => {
    if (ctx.access === 'PRE_AUTH') return { allowed: true };
    const operation = ctx.operation.local;
    let user: string | undefined;

    const authorization = ctx.request.headers.authorization;
    if (mode !== 'wsse' && authorization) {
      const result = digest.verify({ method: ctx.request.method ?? 'POST', uri: ctx.request.url ?? '/', authorization, body: rawBody });
      if (!result.ok) {
        if (result.reason !== 'stale') logger.info({ operation, reason: result.reason, detail: result.detail, user: result.username }, 'HTTP Digest refused');
        return challenge(result.reason === 'stale');
      }
      user = result.username;
    }

    const hasToken = ctx.message.header?.child(NS.wsse, 'Security') !== undefined;
    if (mode !== 'digest' && hasToken) {
      const result = tokens.verify(ctx.message.header);
      if (!result.ok) {
        const clock = result.reason === 'stale' || result.reason === 'future';
        logger.info(
          {
            operation,
            reason: result.reason,
            detail: result.detail,
            user: result.username,
            ...(clock ? { hint: 'the client clock differs from the camera clock: it should read GetSystemDateAndTime and shift its Created time' } : {}),
          },
          'WS-Security UsernameToken refused',
        );
        return refuse;
      }
      user = result.username;
    }

    if (user !== undefined) return { allowed: true, user };
    if (mode === 'wsse') {
      logger.info({ operation }, 'request without a WS-Security UsernameToken refused');
      return refuse;
    }
    return challenge();
  };
}
