import { networkInterfaces } from 'node:os';
import { DiscoveryInterfaceError } from '../errors/index.js';

/** An IPv4 address of this machine, with its interface. */
export interface LocalInterface {
  /** Interface name (`eth0`, `lo`). */
  name: string;
  address: string;
  netmask: string;
  internal: boolean;
}

/** Every IPv4 address of this machine. */
export function listIPv4Interfaces(): LocalInterface[] {
  const out: LocalInterface[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === 'IPv4') out.push({ name, address: info.address, netmask: info.netmask, internal: info.internal });
    }
  }
  return out;
}

function describe(list: readonly LocalInterface[]): string[] {
  return list.map((i) => `${i.address} (${i.name})`);
}

/**
 * The interfaces discovery works on. Each requested entry is an IPv4 address of this machine or an interface
 * name (all its IPv4 addresses); none requested means every non-internal IPv4 interface (one socket per address,
 * since multicast otherwise leaves only through the default route).
 */
export function resolveInterfaces(requested: readonly string[], available: readonly LocalInterface[] = listIPv4Interfaces()): LocalInterface[] {
  if (requested.length === 0) {
    const external = available.filter((i) => !i.internal);
    if (external.length === 0) {
      throw new DiscoveryInterfaceError('no non-loopback IPv4 interface to probe on', describe(available));
    }
    return external;
  }
  const chosen = new Map<string, LocalInterface>();
  for (const entry of requested) {
    const wanted = entry.trim();
    const matches = available.filter((i) => i.address === wanted || i.name === wanted);
    if (matches.length === 0) throw new DiscoveryInterfaceError(`"${wanted}" is not an IPv4 address or interface name of this machine`, describe(available));
    for (const m of matches) chosen.set(m.address, m);
  }
  return [...chosen.values()];
}

/** IPv4 dotted quad to a 32-bit unsigned number, or undefined. */
export function ipv4ToNumber(address: string): number | undefined {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function numberToIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Whether `address` is on the subnet of `iface`. */
export function onSubnet(address: string, iface: LocalInterface): boolean {
  const ip = ipv4ToNumber(address);
  const own = ipv4ToNumber(iface.address);
  const mask = ipv4ToNumber(iface.netmask);
  if (ip === undefined || own === undefined || mask === undefined) return false;
  return ((ip & mask) >>> 0) === ((own & mask) >>> 0);
}
