import { ipv4ToNumber } from './network-interfaces.js';

/** The device service address chosen among the XAddrs a device announced. */
export interface XAddrChoice {
  /** The URL to use, or undefined when the device announced no usable http(s) URL. */
  xaddr: string | undefined;
  /** True when no announced address was the reply's source: the chosen one is an announced URL moved to that source. */
  rewritten: boolean;
  /** Why, in words (for `--json` and logs). */
  reason: string;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Link-local (169.254/16, fe80::/10), unspecified or loopback: never the address a remote device is reached at. */
export function isUnusableHost(host: string, source: string): boolean {
  const ip = ipv4ToNumber(host);
  if (ip !== undefined) {
    if ((ip >>> 16) === 0xa9fe || ip === 0) return true;
    const loopback = (ip >>> 24) === 127;
    return loopback && (ipv4ToNumber(source) ?? 0) >>> 24 !== 127;
  }
  const h = host.toLowerCase();
  return h.startsWith('fe80:') || h === '::' || (h === '::1' && !source.includes(':'));
}

/**
 * Chooses the device service URL of a discovered device. Devices announce several XAddrs (one per address and
 * protocol), link-local ones, or the factory default address that DHCP since replaced; the address a reply came
 * from is where the device really is. So: an http XAddr on the source address first, then an https one; when
 * none is on the source, the first http(s) XAddr (usable ones first) with its host replaced by the source, port and
 * path kept. Credentials thus only ever go to the address that answered.
 */
export function chooseXAddr(xaddrs: readonly string[], source: string): XAddrChoice {
  const urls: URL[] = [];
  for (const x of xaddrs) {
    try {
      const u = new URL(x);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname) urls.push(u);
    } catch (_error) {
      continue; // an XAddr that is not a URL is skipped; the others may still be usable
    }
  }
  if (urls.length === 0) return { xaddr: undefined, rewritten: false, reason: xaddrs.length ? 'no announced XAddr is an http(s) URL' : 'the device announced no XAddr' };
  const onSource = urls.filter((u) => hostOf(u) === source);
  const best = onSource.find((u) => u.protocol === 'http:') ?? onSource[0];
  if (best) return { xaddr: best.href, rewritten: false, reason: 'the XAddr on the address the reply came from' };
  const ordered = [...urls.filter((u) => !isUnusableHost(hostOf(u), source)), ...urls.filter((u) => isUnusableHost(hostOf(u), source))];
  const base = ordered.find((u) => u.protocol === 'http:') ?? ordered[0]!;
  const moved = new URL(base.href);
  moved.hostname = source.includes(':') ? `[${source}]` : source;
  const why = isUnusableHost(hostOf(base), source) ? 'link-local, loopback or unspecified' : 'not the address the reply came from (factory default or NAT)';
  return { xaddr: moved.href, rewritten: true, reason: `announced ${base.host} is ${why}: using the reply source ${source}` };
}
