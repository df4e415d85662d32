import { NS, xmlNamespace, type ExpandedName, type XmlElementNode } from '../soap/index.js';

export const tds = xmlNamespace('tds', NS.tds);
export const trt = xmlNamespace('trt', NS.trt);
export const tr2 = xmlNamespace('tr2', NS.tr2);
export const tt = xmlNamespace('tt', NS.tt);

/** One ONVIF request: its body, the response element it must get, and whether it is PRE_AUTH (tried without credentials). */
export interface OnvifRequest {
  /** Operation name, for messages. */
  name: string;
  body: XmlElementNode;
  expected: ExpandedName;
  /** PRE_AUTH in ONVIF Core (GetSystemDateAndTime, GetServices, GetCapabilities): tried without credentials first. */
  anonymous?: boolean;
}

function request(ns: typeof tds, name: string, content?: XmlElementNode['children'][number] | XmlElementNode[] | null, anonymous = false): OnvifRequest {
  return { name, body: ns(name, content ?? undefined), expected: { uri: ns.uri, local: `${name}Response` }, anonymous };
}

export const getSystemDateAndTime = (): OnvifRequest => request(tds, 'GetSystemDateAndTime', null, true);
export const getServices = (): OnvifRequest => request(tds, 'GetServices', tds('IncludeCapability', false), true);
export const getCapabilities = (): OnvifRequest => request(tds, 'GetCapabilities', tds('Category', 'All'), true);
export const getDeviceInformation = (): OnvifRequest => request(tds, 'GetDeviceInformation');

/** Media2 GetProfiles with Type=All: without a Type, Media2 returns profiles without their configurations. */
export const media2GetProfiles = (): OnvifRequest => request(tr2, 'GetProfiles', tr2('Type', 'All'));
/** Media2 GetStreamUri; `RTSP` is RTP over RTSP over TCP (interleaved), `RtspUnicast` lets the client choose in SETUP. */
export const media2GetStreamUri = (token: string, protocol: 'RTSP' | 'RtspUnicast'): OnvifRequest => request(tr2, 'GetStreamUri', [tr2('Protocol', protocol), tr2('ProfileToken', token)]);
export const media2GetSnapshotUri = (token: string): OnvifRequest => request(tr2, 'GetSnapshotUri', tr2('ProfileToken', token));

export const media1GetProfiles = (): OnvifRequest => request(trt, 'GetProfiles');
/** Media1 GetStreamUri for RTP over RTSP (Transport Protocol RTSP: interleaved in the RTSP TCP connection). */
export const media1GetStreamUri = (token: string): OnvifRequest =>
  request(trt, 'GetStreamUri', [trt('StreamSetup', [tt('Stream', 'RTP-Unicast'), tt('Transport', tt('Protocol', 'RTSP'))]), trt('ProfileToken', token)]);
export const media1GetSnapshotUri = (token: string): OnvifRequest => request(trt, 'GetSnapshotUri', trt('ProfileToken', token));
