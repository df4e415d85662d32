/**
 * A service or media URL a device returned, made usable from here. Devices behind NAT, or still announcing a
 * factory address, return URLs with a host this machine cannot reach; the host that answered is where the
 * device is (agsh/onvif `preserveAddress`). Service URLs keep only their path (same HTTP server); stream and
 * snapshot URLs keep their port and path.
 */
export interface LocalizedUrl {
  url: string;
  /** True when the host was replaced. */
  rewritten: boolean;
  /** The URL as the device returned it. */
  original: string;
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text.trim());
  } catch (_error) {
    return undefined; // not a URL: the caller reports it
  }
}

/** A service XAddr: on another host than the device URL, it becomes the device URL's origin with the XAddr's path. */
export function localizeServiceUrl(xaddr: string, deviceUrl: URL): LocalizedUrl | undefined {
  const u = parse(xaddr);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return undefined;
  if (u.hostname === deviceUrl.hostname) return { url: u.href, rewritten: false, original: xaddr };
  const moved = new URL(`${u.pathname}${u.search}`, deviceUrl.origin);
  return { url: moved.href, rewritten: true, original: xaddr };
}

/** A stream or snapshot URI: on another host than the device URL, the host is replaced; scheme, port and path stay. */
export function localizeMediaUrl(uri: string, deviceUrl: URL, schemes: readonly string[]): LocalizedUrl | undefined {
  const u = parse(uri);
  if (!u || !schemes.includes(u.protocol) || !u.hostname) return undefined;
  if (u.hostname === deviceUrl.hostname) return { url: u.href, rewritten: false, original: uri };
  const host = u.hostname;
  u.hostname = deviceUrl.hostname;
  return { url: u.href, rewritten: host !== u.hostname, original: uri };
}
