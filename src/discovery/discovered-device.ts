import { NS, type ExpandedName } from '../soap/index.js';
import type { DiscoveredEndpoint } from './parse.js';
import { summarizeScopes, type ScopeSummary } from './scopes.js';
import { chooseXAddr } from './xaddr.js';

/** A device found by WS-Discovery, ready to show or to onboard. */
export interface DiscoveredDevice extends ScopeSummary {
  /** Stable EndpointReference address (`urn:uuid:...`): the device's identity across addresses and reboots. */
  endpoint: string;
  /** IPv4 address the announcement or reply came from. */
  address: string;
  /** Device service URL to use (see `chooseXAddr`), or undefined when none was announced. */
  xaddr: string | undefined;
  /** True when the chosen URL is an announced one moved to `address`. */
  xaddrRewritten: boolean;
  /** Every XAddr as announced. */
  xaddrs: string[];
  /** Discovery types, as `prefix:Local` for the ONVIF ones and `{uri}Local` otherwise. */
  types: string[];
  scopes: string[];
  metadataVersion: number | undefined;
  /** Local interface address it was found through (`unicast` for --target replies outside the interfaces). */
  interface: string;
  /** How it was found. */
  via: 'multicast' | 'unicast' | 'hello';
}

const KNOWN_TYPES = new Map<string, string>([
  [NS.tds, 'tds'],
  [NS.dn, 'dn'],
]);

function typeName(t: ExpandedName): string {
  const prefix = KNOWN_TYPES.get(t.uri);
  return prefix ? `${prefix}:${t.local}` : `{${t.uri}}${t.local}`;
}

/**
 * Whether a description is of an ONVIF device: its types include tds:Device or the legacy
 * dn:NetworkVideoTransmitter, or, for devices that leave Types out, its scopes are ONVIF scopes.
 */
export function isOnvifDevice(types: readonly ExpandedName[], scopes: readonly string[] = []): boolean {
  if (types.some((t) => (t.uri === NS.tds && t.local === 'Device') || (t.uri === NS.dn && t.local === 'NetworkVideoTransmitter'))) return true;
  return types.length === 0 && scopes.some((s) => s.toLowerCase().startsWith('onvif://www.onvif.org/'));
}

/** Most scopes and XAddrs a device description keeps (garbage can announce thousands). */
const MAX_LIST = 64;

export function toDiscoveredDevice(found: DiscoveredEndpoint, source: string, localInterface: string, via: DiscoveredDevice['via']): DiscoveredDevice {
  const xaddrs = found.xaddrs.slice(0, MAX_LIST);
  const scopes = found.scopes.slice(0, MAX_LIST);
  const choice = chooseXAddr(xaddrs, source);
  return {
    endpoint: found.endpoint.slice(0, 256),
    address: source,
    xaddr: choice.xaddr,
    xaddrRewritten: choice.rewritten,
    xaddrs,
    types: found.types.slice(0, MAX_LIST).map(typeName),
    scopes,
    ...summarizeScopes(scopes),
    metadataVersion: found.metadataVersion,
    interface: localInterface,
    via,
  };
}

/**
 * Merges a second sighting of the same EndpointReference into the first: XAddrs are united, and a sighting whose
 * XAddr was announced on its source address replaces one that needed rewriting.
 */
export function mergeSighting(first: DiscoveredDevice, again: DiscoveredDevice): DiscoveredDevice {
  const xaddrs = [...new Set([...first.xaddrs, ...again.xaddrs])].slice(0, MAX_LIST);
  const better = first.xaddr === undefined || (first.xaddrRewritten && !again.xaddrRewritten && again.xaddr !== undefined);
  return { ...(better ? again : first), xaddrs };
}
