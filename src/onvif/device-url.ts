import { UsageError } from '../errors/index.js';

/** The usual path of the ONVIF device service. */
export const DEFAULT_DEVICE_PATH = '/onvif/device_service';

/**
 * The device service URL from what a user typed: a full http(s) URL, or just `HOST[:PORT]` (then
 * `http://HOST[:PORT]/onvif/device_service`). Credentials in the URL are refused (they would end up in logs and
 * shell history): use --user and --password.
 */
export function parseDeviceUrl(input: string): URL {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (_error) {
    throw new UsageError(`"${input}" is not a device URL or host`, 'give the device service URL (http://192.0.2.10/onvif/device_service) or just the camera address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${input}" is not an http or https URL`, 'ONVIF devices are reached over HTTP: http://HOST/onvif/device_service');
  if (url.username || url.password) throw new UsageError('credentials in the device URL are not accepted', 'pass them with --user and --password (they never appear in logs)');
  if (!url.hostname) throw new UsageError(`"${input}" has no host`, 'give the camera address, e.g. 192.0.2.10');
  if (url.pathname === '/' && !/^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./i.test(withScheme)) url.pathname = DEFAULT_DEVICE_PATH;
  url.hash = '';
  return url;
}

/** A URL for messages: no credentials, no fragment. */
export function displayUrl(url: URL | string): string {
  const u = new URL(typeof url === 'string' ? url : url.href);
  u.username = '';
  u.password = '';
  u.hash = '';
  return u.href;
}
