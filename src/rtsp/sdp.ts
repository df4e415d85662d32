import type { RtspMedia } from './media-track.js';

export interface SdpOptions {
  /** Address of the server as the client reached it (origin line). */
  serverAddress: string;
  /** Session id and version for the origin line. */
  sessionId: string;
  version: number;
}

/** The control name of track `index` (relative to the Content-Base). */
export function trackControl(index: number): string {
  return `trackID=${index}`;
}

/** SDP (RFC 4566) describing a presentation, with relative `a=control` URLs resolved against Content-Base. */
export function buildSdp(media: RtspMedia, options: SdpOptions): string {
  const ip6 = options.serverAddress.includes(':');
  const lines = [
    'v=0',
    `o=- ${options.sessionId} ${options.version} IN ${ip6 ? 'IP6' : 'IP4'} ${options.serverAddress}`,
    `s=${media.name.replace(/[\r\n]/g, ' ') || 'Vigie'}`,
    `c=IN ${ip6 ? 'IP6 ::' : 'IP4 0.0.0.0'}`,
    't=0 0',
    'a=tool:Vigie',
    'a=range:npt=now-',
    'a=control:*',
  ];
  media.tracks.forEach((track, i) => {
    lines.push(`m=${track.kind} 0 RTP/AVP ${track.payloadType}`, ...track.sdpAttributes(), `a=control:${trackControl(i)}`);
  });
  return `${lines.join('\r\n')}\r\n`;
}
