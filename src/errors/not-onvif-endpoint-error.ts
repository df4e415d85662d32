import { VigieError } from './vigie-error.js';

/** What an address answered instead of ONVIF SOAP. */
export type NotOnvifKind = 'html' | 'redirect' | 'not-found' | 'not-soap' | 'http-status' | 'soap11';

/** The URL answers, but not as an ONVIF device service: a web page, a redirect (often to HTTPS), a 404, other content. */
export class NotOnvifEndpointError extends VigieError {
  readonly code = 'ONVIF_NOT_AN_ENDPOINT';

  constructor(
    readonly device: string,
    readonly kind: NotOnvifKind,
    detail: string,
    options: { location?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(`${device} is not an ONVIF device service: ${detail}`, { cause: options.cause, hint: options.hint ?? defaultHint(kind, options.location) });
  }
}

function defaultHint(kind: NotOnvifKind, location: string | undefined): string {
  switch (kind) {
    case 'redirect':
      return location?.startsWith('https:')
        ? `the camera only accepts HTTPS: use ${location} as the device URL, or allow HTTP (ONVIF) in its network settings`
        : `follow the redirect: use ${location ?? 'the address it points to'} as the device URL`;
    case 'html':
      return 'this is the camera web page: the ONVIF device service is usually at http://HOST/onvif/device_service (vigie discover shows the exact address), and ONVIF may have to be enabled in the camera settings';
    case 'not-found':
      return 'no service at this path: the ONVIF device service is usually /onvif/device_service (vigie discover shows the exact address)';
    case 'soap11':
      return 'ONVIF uses SOAP 1.2; this is another SOAP 1.1 service: check the path (usually /onvif/device_service)';
    default:
      return 'check the URL: it should be the ONVIF device service of the camera, usually http://HOST/onvif/device_service';
  }
}
