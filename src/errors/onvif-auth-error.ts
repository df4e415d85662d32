import { VigieError } from './vigie-error.js';

/** The camera refused the user name and password with every authentication method it offers. */
export class OnvifAuthError extends VigieError {
  readonly code = 'ONVIF_AUTH_FAILED';

  constructor(
    readonly device: string,
    /** Who was refused (never the password). */
    readonly username: string | undefined,
    /** The methods tried, e.g. `WS-UsernameToken`, `HTTP Digest`. */
    readonly methods: readonly string[],
    options: { operation?: string; cause?: unknown; hint?: string } = {},
  ) {
    const who = username ? `user "${username}"` : 'an anonymous request';
    const how = methods.length ? ` (tried ${methods.join(', then ')})` : '';
    super(`camera ${device} refused ${who}${options.operation ? ` for ${options.operation}` : ''}${how}`, {
      cause: options.cause,
      hint:
        options.hint ??
        (username
          ? 'check the user name and password; many cameras keep ONVIF users apart from web users (Hikvision: Network > Integration Protocol; Axis: ONVIF users): create the user there with at least operator rights'
          : 'the camera needs credentials: pass --user and --password, or add them to discovery.credentials'),
    });
  }
}
