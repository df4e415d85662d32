import { randomUUID } from 'node:crypto';
import { NS, qnames, serializeSoap, soapNs, xmlNamespace, type QName, type XmlElementNode } from '../soap/index.js';
import { WSD } from './constants.js';

const a = xmlNamespace('a', NS.wsa2004);
const d = xmlNamespace('d', NS.wsd);

/** ONVIF discovery types: the device type every ONVIF device announces, and the legacy one agsh/onvif probes for. */
export const ONVIF_TYPES = {
  device: xmlNamespace('tds', NS.tds).qname('Device'),
  networkVideoTransmitter: xmlNamespace('dn', NS.dn).qname('NetworkVideoTransmitter'),
} as const;

/** What a device announces about itself. */
export interface DiscoveryTarget {
  /** Stable `urn:uuid:...` EndpointReference address. */
  endpoint: string;
  types: readonly QName[];
  scopes: readonly string[];
  /** Device service URLs, one per reachable address. */
  xaddrs: readonly string[];
  /** Increases when types, scopes or XAddrs change. */
  metadataVersion: number;
}

export interface AppSequence {
  instanceId: number;
  messageNumber: number;
}

export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

function header(action: string, to: string, messageId: string, extra: { relatesTo?: string; appSequence?: AppSequence; replyTo?: boolean } = {}): XmlElementNode[] {
  return [
    a('MessageID', messageId),
    extra.relatesTo ? a('RelatesTo', extra.relatesTo) : null,
    extra.replyTo ? a('ReplyTo', a('Address', WSD.anonymous)) : null,
    a('To', [soapNs.attr('mustUnderstand', '1'), to]),
    a('Action', [soapNs.attr('mustUnderstand', '1'), action]),
    extra.appSequence ? d('AppSequence', { InstanceId: extra.appSequence.instanceId, MessageNumber: extra.appSequence.messageNumber }) : null,
  ].filter((x): x is XmlElementNode => x !== null);
}

function describe(target: DiscoveryTarget): XmlElementNode[] {
  return [
    a('EndpointReference', a('Address', target.endpoint)),
    target.types.length ? d('Types', qnames(...target.types)) : null,
    target.scopes.length ? d('Scopes', target.scopes.join(' ')) : null,
    target.xaddrs.length ? d('XAddrs', target.xaddrs.join(' ')) : null,
    d('MetadataVersion', target.metadataVersion),
  ].filter((x): x is XmlElementNode => x !== null);
}

/** A Probe (multicast, or unicast to port 3702); no types and no scopes match every device. */
export function buildProbe(options: { messageId?: string; types?: readonly QName[]; scopes?: readonly string[]; matchBy?: string } = {}): string {
  const body = d('Probe', [
    options.types?.length ? d('Types', qnames(...options.types)) : null,
    options.scopes?.length ? d('Scopes', options.matchBy ? { MatchBy: options.matchBy } : {}, options.scopes.join(' ')) : null,
  ]);
  return serializeSoap(body, header(WSD.actions.probe, WSD.multicastTo, options.messageId ?? newMessageId(), { replyTo: true }));
}

/** The reply of one device to a Probe (unicast to the prober). */
export function buildProbeMatches(options: { relatesTo: string; appSequence: AppSequence; matches: readonly DiscoveryTarget[]; messageId?: string }): string {
  const body = d(
    'ProbeMatches',
    options.matches.map((t) => d('ProbeMatch', describe(t))),
  );
  return serializeSoap(body, header(WSD.actions.probeMatches, WSD.anonymous, options.messageId ?? newMessageId(), { relatesTo: options.relatesTo, appSequence: options.appSequence }));
}

/** Hello: a device joins the network (multicast). */
export function buildHello(options: { target: DiscoveryTarget; appSequence: AppSequence; messageId?: string }): string {
  return serializeSoap(d('Hello', describe(options.target)), header(WSD.actions.hello, WSD.multicastTo, options.messageId ?? newMessageId(), { appSequence: options.appSequence }));
}

/** Bye: a device leaves the network (multicast). */
export function buildBye(options: { endpoint: string; appSequence: AppSequence; messageId?: string }): string {
  return serializeSoap(d('Bye', a('EndpointReference', a('Address', options.endpoint))), header(WSD.actions.bye, WSD.multicastTo, options.messageId ?? newMessageId(), { appSequence: options.appSequence }));
}
