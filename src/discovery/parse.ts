import { NS, parseSoapEnvelope, type ExpandedName, type XmlElement } from '../soap/index.js';

/** A device as described in a ProbeMatch or Hello. */
export interface DiscoveredEndpoint {
  endpoint: string;
  types: ExpandedName[];
  scopes: string[];
  xaddrs: string[];
  metadataVersion: number | undefined;
}

export type DiscoveryMessage =
  | { kind: 'probe'; messageId: string | undefined; types: ExpandedName[]; scopes: string[]; matchBy: string | undefined }
  | { kind: 'probeMatches'; messageId: string | undefined; relatesTo: string | undefined; matches: DiscoveredEndpoint[] }
  | ({ kind: 'hello'; messageId: string | undefined } & DiscoveredEndpoint)
  | { kind: 'bye'; messageId: string | undefined; endpoint: string };

function words(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

function endpointOf(element: XmlElement): string | undefined {
  return element.find([NS.wsa2004, 'EndpointReference'], [NS.wsa2004, 'Address'])?.text.trim() || undefined;
}

function describe(element: XmlElement): DiscoveredEndpoint | undefined {
  const endpoint = endpointOf(element);
  if (!endpoint) return undefined;
  const typesEl = element.child(NS.wsd, 'Types');
  const version = element.childText(NS.wsd, 'MetadataVersion');
  return {
    endpoint,
    types: typesEl ? typesEl.resolveQNameList(typesEl.text) : [],
    scopes: words(element.childText(NS.wsd, 'Scopes')),
    xaddrs: words(element.childText(NS.wsd, 'XAddrs')),
    metadataVersion: version !== undefined && /^\d+$/.test(version) ? Number(version) : undefined,
  };
}

/**
 * Reads a WS-Discovery 2005/04 message by namespace URI (any prefixes): Probe, ProbeMatches, Hello or Bye.
 * Undefined for other SOAP messages; throws `XmlRejectedError` or `SoapFaultError` for what is not SOAP at all.
 */
export function parseDiscoveryMessage(datagram: Buffer | string, options: { source?: string } = {}): DiscoveryMessage | undefined {
  const message = parseSoapEnvelope(datagram, { maxBytes: 64 * 1024, maxDepth: 32, maxElements: 2000, source: options.source });
  const messageId = message.header?.childText(NS.wsa2004, 'MessageID');
  const op = message.operation;
  if (!op || op.uri !== NS.wsd) return undefined;
  switch (op.local) {
    case 'Probe': {
      const typesEl = op.child(NS.wsd, 'Types');
      const scopesEl = op.child(NS.wsd, 'Scopes');
      return {
        kind: 'probe',
        messageId,
        types: typesEl ? typesEl.resolveQNameList(typesEl.text) : [],
        scopes: words(scopesEl?.text),
        matchBy: scopesEl?.attribute('MatchBy'),
      };
    }
    case 'ProbeMatches':
      return {
        kind: 'probeMatches',
        messageId,
        relatesTo: message.header?.childText(NS.wsa2004, 'RelatesTo'),
        matches: op
          .childrenNamed(NS.wsd, 'ProbeMatch')
          .map(describe)
          .filter((m): m is DiscoveredEndpoint => m !== undefined),
      };
    case 'Hello': {
      const described = describe(op);
      return described ? { kind: 'hello', messageId, ...described } : undefined;
    }
    case 'Bye': {
      const endpoint = endpointOf(op);
      return endpoint ? { kind: 'bye', messageId, endpoint } : undefined;
    }
    default:
      return undefined;
  }
}
