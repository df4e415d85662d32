import { hostname } from 'node:os';

/** The 12-byte RTP header (RFC 3550 §5.1), version 2, no padding, extension or CSRC. */
export function rtpHeader(payloadType: number, marker: boolean, sequence: number, timestamp: number, ssrc: number, prefix = 0): Buffer {
  const b = Buffer.allocUnsafe(prefix + 12);
  b[prefix] = 0x80;
  b[prefix + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  b.writeUInt16BE(sequence & 0xffff, prefix + 2);
  b.writeUInt32BE(timestamp >>> 0, prefix + 4);
  b.writeUInt32BE(ssrc >>> 0, prefix + 8);
  return b;
}

const NTP_EPOCH_OFFSET = 2_208_988_800;
const CNAME = Buffer.from(`vigie@${hostname()}`.slice(0, 255), 'utf8');

/** A compound RTCP packet: Sender Report (RFC 3550 §6.4.1) then SDES with a CNAME (§6.5). */
export function rtcpSenderReport(ssrc: number, wallMs: number, rtpTimestamp: number, packets: number, octets: number): Buffer {
  const sdesLength = 4 + 2 + CNAME.length + 1; // SSRC, type+length, text, end
  const sdesPadded = Math.ceil(sdesLength / 4) * 4;
  const b = Buffer.alloc(28 + 4 + sdesPadded);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc >>> 0, 4);
  const seconds = Math.floor(wallMs / 1000);
  b.writeUInt32BE((seconds + NTP_EPOCH_OFFSET) >>> 0, 8);
  b.writeUInt32BE(Math.floor(((wallMs % 1000) / 1000) * 0x100000000) >>> 0, 12);
  b.writeUInt32BE(rtpTimestamp >>> 0, 16);
  b.writeUInt32BE(packets >>> 0, 20);
  b.writeUInt32BE(octets >>> 0, 24);
  b[28] = 0x81;
  b[29] = 202;
  b.writeUInt16BE((4 + sdesPadded) / 4 - 1, 30);
  b.writeUInt32BE(ssrc >>> 0, 32);
  b[36] = 1; // CNAME
  b[37] = CNAME.length;
  CNAME.copy(b, 38);
  return b;
}
