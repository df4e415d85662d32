import { VigieError } from './vigie-error.js';

/** A vendor quirk profile (onvif-profiles/<vendor>.yaml) cannot be read or does not match its schema. */
export class VendorProfileError extends VigieError {
  readonly code = 'VENDOR_PROFILE_INVALID';

  constructor(readonly file: string, detail: string, options: { cause?: unknown } = {}) {
    super(`vendor profile ${file}: ${detail}`, { cause: options.cause, hint: 'fix the file against the schema in src/onvif/vendor-profile.ts (npm test checks every profile)' });
  }
}
