import { SoapFaultError, XmlRejectedError } from '../errors/index.js';
import { parseDiscoveryMessage, type DiscoveryMessage } from './parse.js';

/** Why a datagram on a discovery socket was ignored. */
export type IgnoredReason = 'malformed-xml' | 'refused-xml' | 'not-soap' | 'not-discovery' | 'foreign' | 'internal-error';

export const IGNORED_REASONS: readonly IgnoredReason[] = ['malformed-xml', 'refused-xml', 'not-soap', 'not-discovery', 'foreign', 'internal-error'];

/** Counts of what arrived on discovery sockets: never fatal, always counted. */
export interface DatagramStats {
  received: number;
  /** Datagrams that described a device (ProbeMatches, Hello, Bye). */
  accepted: number;
  ignored: Record<IgnoredReason, number>;
}

export function emptyStats(): DatagramStats {
  return { received: 0, accepted: 0, ignored: Object.fromEntries(IGNORED_REASONS.map((r) => [r, 0])) as Record<IgnoredReason, number> };
}

export function ignoredTotal(stats: DatagramStats): number {
  return IGNORED_REASONS.reduce((n, r) => n + stats.ignored[r], 0);
}

export type Classified = { ok: true; message: DiscoveryMessage } | { ok: false; reason: IgnoredReason; detail: string };

/**
 * Parses one datagram, by namespace URI, into a WS-Discovery message, or says why it is ignored. Never throws:
 * garbage, foreign protocols and hostile XML (DOCTYPE, huge, deep) are reasons, not errors.
 */
export function classifyDatagram(datagram: Buffer, source: string): Classified {
  try {
    const message = parseDiscoveryMessage(datagram, { source });
    if (!message) return { ok: false, reason: 'not-discovery', detail: 'a SOAP message that is not WS-Discovery 2005/04' };
    return { ok: true, message };
  } catch (error) {
    if (error instanceof XmlRejectedError) {
      const refused = error.reason === 'doctype' || error.reason === 'too-large' || error.reason === 'too-deep' || error.reason === 'too-many-elements';
      return { ok: false, reason: refused ? 'refused-xml' : 'malformed-xml', detail: error.message };
    }
    if (error instanceof SoapFaultError) return { ok: false, reason: 'not-soap', detail: error.reason };
    return { ok: false, reason: 'internal-error', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** "3 ignored: 2 malformed-xml, 1 foreign". */
export function describeIgnored(stats: DatagramStats): string {
  const parts = IGNORED_REASONS.filter((r) => stats.ignored[r] > 0).map((r) => `${stats.ignored[r]} ${r}`);
  return parts.length ? parts.join(', ') : 'none';
}
