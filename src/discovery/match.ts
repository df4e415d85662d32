import type { ExpandedName } from '../soap/index.js';
import { WSD } from './constants.js';
import type { DiscoveryTarget } from './messages.js';

/** Whether a device with these types matches the types of a Probe (every probed type must be offered). */
export function typesMatch(probed: readonly ExpandedName[], offered: readonly ExpandedName[]): boolean {
  return probed.every((p) => offered.some((o) => o.uri === p.uri && o.local === p.local));
}

/**
 * Whether every probed scope matches one of the device's scopes. RFC 3986 rule (the default): same scheme and
 * authority (case-insensitive), and the probe's path segments are a prefix of the device's, segment by segment
 * (`.../hardware/D1` does not match `.../hardware/D1-566`). `strcmp0`: exact string. Other rules: no match.
 */
export function scopesMatch(probed: readonly string[], offered: readonly string[], matchBy: string = WSD.matchBy.rfc3986): boolean {
  if (matchBy === WSD.matchBy.strcmp0) return probed.every((p) => offered.includes(p));
  if (matchBy !== WSD.matchBy.rfc3986) return false;
  return probed.every((p) => offered.some((o) => rfc3986Match(p, o)));
}

function split(uri: string): { head: string; segments: string[] } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(uri);
  if (!m) return undefined;
  const segments = m[3]!.split('/').filter((s) => s !== '');
  return { head: `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}`, segments };
}

function rfc3986Match(probe: string, scope: string): boolean {
  const p = split(probe);
  const s = split(scope);
  if (!p || !s) return probe === scope;
  if (p.head !== s.head || p.segments.length > s.segments.length) return false;
  return p.segments.every((segment, i) => segment === s.segments[i]);
}

/** Whether a target answers a Probe. */
export function probeMatches(probe: { types: readonly ExpandedName[]; scopes: readonly string[]; matchBy: string | undefined }, target: DiscoveryTarget): boolean {
  return typesMatch(probe.types, target.types) && scopesMatch(probe.scopes, target.scopes, probe.matchBy ?? WSD.matchBy.rfc3986);
}
