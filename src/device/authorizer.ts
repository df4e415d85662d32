import type { DigestServer, UsernameTokenVerifier } from '../auth/index.js';
import type { Logger } from '../logging/index.js';
import { NS, ter, type AccessClass, type AuthDecision, type SoapAuthorizer } from '../soap/index.js';

export type UserRole = 'operator' | 'administrator';

/** Access classes (ONVIF Core §5.9.4) only an administrator may use: changing the device, its rules, its users. */
const ADMIN_CLASSES = new Set<AccessClass>(['WRITE_SYSTEM', 'UNRECOVERABLE', 'READ_SYSTEM_SECRET', 'ACTUATE']);

const NOT_AUTHORIZED = { code: 'Sender' as const, subcodes: [ter('NotAuthorized')], reason: 'Sender not authorized' };

/**
 * Who may call Vigie's ONVIF services. PRE_AUTH operations (GetSystemDateAndTime, GetServices, capabilities) are
 * open, as ONVIF requires; every other call needs HTTP Digest or a WS-UsernameToken of a configured user (both are
 * accepted; with both, HTTP is checked first). Without valid credentials the answer is 401 with a Digest challenge,
 * never Basic. Operators read; changes need the administrator role (else `ter:NotAuthorized`).
 */
export function createDeviceAuthorizer(options: { digest: DigestServer; tokens: UsernameTokenVerifier; roleOf: (user: string) => UserRole | undefined; logger: Logger }): SoapAuthorizer {
  const { digest, tokens, logger } = options;
  const challenge = (stale = false): AuthDecision => ({ allowed: false, status: 401, headers: { 'WWW-Authenticate': digest.challenge({ stale }) }, fault: NOT_AUTHORIZED });

  return (ctx, rawBody) => {
    if (ctx.access === 'PRE_AUTH') return { allowed: true };
    const operation = ctx.operation.local;
    let user: string | undefined;
    const authorization = ctx.request.headers.authorization;
    if (authorization) {
      const result = digest.verify({ method: ctx.request.method ?? 'POST', uri: ctx.request.url ?? '/', authorization, body: rawBody });
      if (!result.ok) {
        if (result.reason !== 'stale') logger.info({ operation, reason: result.reason, detail: result.detail, user: result.username }, 'ONVIF HTTP Digest refused');
        return challenge(result.reason === 'stale');
      }
      user = result.username;
    }
    if (user === undefined && ctx.message.header?.child(NS.wsse, 'Security') !== undefined) {
      const result = tokens.verify(ctx.message.header);
      if (!result.ok) {
        logger.info({ operation, reason: result.reason, detail: result.detail, user: result.username }, 'ONVIF WS-UsernameToken refused');
        return challenge();
      }
      user = result.username;
    }
    if (user === undefined) return challenge();
    const role = options.roleOf(user);
    if (ADMIN_CLASSES.has(ctx.access) && role !== 'administrator') {
      logger.info({ operation, user, role }, 'ONVIF call refused: administrator role needed');
      return { allowed: false, status: 400, fault: { ...NOT_AUTHORIZED, reason: `user "${user}" is an ${role ?? 'unknown user'}: ${operation} needs the administrator role` } };
    }
    return { allowed: true, user };
  };
}
