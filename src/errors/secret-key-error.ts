import { VigieError } from './vigie-error.js';

/** VIGIE_SECRET_KEY is malformed, or is not the key the stored secrets were encrypted with. */
export class SecretKeyError extends VigieError {
  readonly code: 'SECRET_KEY_INVALID' | 'SECRET_KEY_MISMATCH';

  constructor(kind: 'invalid' | 'mismatch', detail: string) {
    super(
      kind === 'invalid' ? `VIGIE_SECRET_KEY is not usable: ${detail}` : `VIGIE_SECRET_KEY does not open the stored camera passwords: ${detail}`,
      {
        hint:
          kind === 'invalid'
            ? 'set VIGIE_SECRET_KEY to 32 random bytes written as 64 hex digits or base64 (generate one with: openssl rand -hex 32), and keep it with your backups'
            : 'start Vigie with the key used before (the stored passwords stay encrypted and untouched until then); cameras whose password cannot be read are onboarded again with discovery.credentials',
      },
    );
    this.code = kind === 'invalid' ? 'SECRET_KEY_INVALID' : 'SECRET_KEY_MISMATCH';
  }
}
