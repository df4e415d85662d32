import { lookup } from 'node:dns/promises';
import { UsageError } from '../errors/index.js';
import { WSD } from './constants.js';
import { ipv4ToNumber, numberToIPv4 } from './network-interfaces.js';

/** Where a unicast Probe goes. */
export interface UnicastTarget {
  address: string;
  port: number;
}

/** Largest number of addresses one `--target` may expand to (a /20). */
export const MAX_TARGET_HOSTS = 4096;

const HELP = 'give a host (192.0.2.10, cam1.site.lan), a CIDR range (192.0.2.0/24), optionally with :PORT (default 3702)';

function splitPort(spec: string): { host: string; port: number } {
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(spec.trim());
  const host = m?.[1] ?? '';
  const port = m?.[2] === undefined ? WSD.port : Number(m[2]);
  if (!host || port < 1 || port > 65535) throw new UsageError(`--target "${spec}" is not a host or a CIDR range`, HELP);
  return { host, port };
}

/** The host addresses of an IPv4 CIDR range (without network and broadcast addresses below /31). */
export function expandCidr(cidr: string, maxHosts = MAX_TARGET_HOSTS): string[] {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  const base = m ? ipv4ToNumber(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (!m || base === undefined || bits > 32) throw new UsageError(`"${cidr}" is not an IPv4 CIDR range`, HELP);
  const size = 2 ** (32 - bits);
  const hosts = bits >= 31 ? size : size - 2;
  if (hosts > maxHosts) throw new UsageError(`${cidr} holds ${hosts} addresses, more than the ${maxHosts} one probe may cover`, 'split it into smaller ranges (a /20 at most each)');
  const network = bits === 0 ? 0 : (base & (0xffffffff << (32 - bits))) >>> 0;
  const first = bits >= 31 ? network : network + 1;
  return Array.from({ length: hosts }, (_v, i) => numberToIPv4((first + i) >>> 0));
}

/**
 * Unicast Probe targets from `--target` specs: hosts (resolved to IPv4), CIDR ranges, each optionally with
 * `:PORT`. Duplicates are dropped. Throws `UsageError` for anything else.
 */
export async function expandTargets(specs: readonly string[], options: { maxHosts?: number } = {}): Promise<UnicastTarget[]> {
  const out = new Map<string, UnicastTarget>();
  const maxHosts = options.maxHosts ?? MAX_TARGET_HOSTS;
  for (const spec of specs) {
    const { host, port } = splitPort(spec);
    let addresses: string[];
    if (host.includes('/')) addresses = expandCidr(host, maxHosts);
    else if (ipv4ToNumber(host) !== undefined) addresses = [host];
    else if (/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
      try {
        addresses = [(await lookup(host, { family: 4 })).address];
      } catch (cause) {
        throw new UsageError(`--target "${host}" does not resolve to an IPv4 address (${(cause as NodeJS.ErrnoException).code ?? 'lookup failed'})`, HELP);
      }
    } else throw new UsageError(`--target "${spec}" is not a host or a CIDR range`, HELP);
    for (const address of addresses) out.set(`${address}:${port}`, { address, port });
    if (out.size > maxHosts) throw new UsageError(`the targets add up to more than ${maxHosts} addresses`, 'probe fewer ranges at a time');
  }
  return [...out.values()];
}
