import { NAL, nalType } from './h264-nal.js';

/** One RTP payload: its pieces (sent back to back, no copy) and the marker bit. */
export interface RtpPayload {
  parts: readonly Buffer[];
  marker: boolean;
}

/** Largest RTP payload by default: fits a 1500-byte Ethernet MTU with IP, UDP and RTP headers. */
export const DEFAULT_MAX_PAYLOAD = 1400;

/**
 * RTP payloads for one access unit, RFC 6184 packetization-mode 1: a NAL unit that fits goes in a single NAL unit
 * packet, a larger one is split into FU-A fragments. The marker bit is set on the last packet of the access unit.
 */
export function packetizeH264(nals: readonly Buffer[], maxPayload = DEFAULT_MAX_PAYLOAD): RtpPayload[] {
  const out: RtpPayload[] = [];
  for (const nal of nals) {
    if (nal.length === 0) continue;
    if (nal.length <= maxPayload) {
      out.push({ parts: [nal], marker: false });
      continue;
    }
    const header = nal[0]!;
    const indicator = (header & 0xe0) | NAL.FU_A;
    const type = nalType(nal);
    const chunk = maxPayload - 2;
    const count = Math.ceil((nal.length - 1) / chunk);
    const headers = Buffer.allocUnsafe(2 * count);
    for (let k = 0, offset = 1; k < count; k += 1, offset += chunk) {
      const start = k === 0 ? 0x80 : 0;
      const end = k === count - 1 ? 0x40 : 0;
      headers[2 * k] = indicator;
      headers[2 * k + 1] = start | end | type;
      out.push({ parts: [headers.subarray(2 * k, 2 * k + 2), nal.subarray(offset, Math.min(offset + chunk, nal.length))], marker: false });
    }
  }
  const last = out[out.length - 1];
  if (last) last.marker = true;
  return out;
}
