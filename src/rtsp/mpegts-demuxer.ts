/**
 * A small MPEG transport stream demuxer: finds the first H.264 elementary stream through PAT and PMT and hands
 * out its PES packets with their 90 kHz timestamps. ffmpeg writes one PES per access unit, by default with an
 * unbounded length for video, so a PES is complete when the next one starts (one frame of latency); with
 * `-omit_video_pes_length 0` a PES under 64 KiB carries its length and is handed out as soon as it is whole.
 */

export interface PesPacket {
  /** Presentation time stamp, 90 kHz, 33 bits as read (not unwrapped). */
  pts: number | undefined;
  dts: number | undefined;
  /** The elementary stream bytes (Annex-B for H.264). */
  data: Buffer;
  /** Wall time (epoch ms) of the `push` that brought the PES's last bytes: when the frame had fully arrived. */
  receivedAt: number;
}

const PACKET = 188;
const SYNC = 0x47;
const STREAM_TYPE_H264 = 0x1b;
const MAX_PES_BYTES = 16 * 1024 * 1024;

export class TsDemuxer {
  private leftover: Buffer | undefined;
  private pmtPid: number | undefined;
  private videoPid: number | undefined;
  private pes: Buffer[] = [];
  private pesBytes = 0;
  private pesBroken = false;
  private lastCc = -1;
  /** Expected size of the PES being collected (6-byte prefix + PES_packet_length), 0 = unbounded. */
  private pesExpected = 0;
  private lastPayloadAt = 0;
  private pushAt = 0;
  /** Packets skipped to find sync, continuity errors, oversize PES dropped. */
  readonly stats = { resyncs: 0, continuityErrors: 0, droppedPes: 0 };

  constructor(private readonly onPes: (pes: PesPacket) => void) {}

  push(chunk: Buffer): void {
    this.pushAt = Date.now();
    const data = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    this.leftover = undefined;
    let pos = 0;
    while (data.length - pos >= PACKET) {
      if (data[pos] !== SYNC) {
        const next = this.findSync(data, pos + 1);
        this.stats.resyncs += 1;
        if (next < 0) {
          pos = data.length;
          break;
        }
        pos = next;
        continue;
      }
      this.packet(data.subarray(pos, pos + PACKET));
      pos += PACKET;
    }
    if (pos < data.length) this.leftover = Buffer.from(data.subarray(pos));
  }

  /** Emits the PES in progress (at the end of the stream). */
  flush(): void {
    this.emit();
  }

  private findSync(data: Buffer, from: number): number {
    for (let i = from; i < data.length; i += 1) {
      if (data[i] === SYNC && (i + PACKET >= data.length || data[i + PACKET] === SYNC)) return i;
    }
    return -1;
  }

  private packet(p: Buffer): void {
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const pusi = (p[1]! & 0x40) !== 0;
    const afc = (p[3]! >> 4) & 0x3;
    const cc = p[3]! & 0xf;
    let offset = 4;
    if (afc & 0x2) offset += 1 + p[4]!;
    if (!(afc & 0x1) || offset >= PACKET) return;
    const payload = p.subarray(offset);
    if (pid === 0) {
      if (pusi) this.pat(payload);
    } else if (pid === this.pmtPid) {
      if (pusi) this.pmt(payload);
    } else if (pid === this.videoPid) {
      if (this.lastCc >= 0 && cc !== ((this.lastCc + 1) & 0xf) && cc !== this.lastCc) {
        this.stats.continuityErrors += 1;
        this.pesBroken = true;
      }
      if (cc === this.lastCc && !pusi) return; // duplicate packet
      this.lastCc = cc;
      if (pusi) {
        this.emit();
        this.pesBroken = false;
      }
      if (this.pesBroken) return;
      this.pesBytes += payload.length;
      if (this.pesBytes > MAX_PES_BYTES) {
        this.stats.droppedPes += 1;
        this.pesBroken = true;
        this.pes = [];
        return;
      }
      if (this.pes.length === 0) this.pesExpected = payload.length >= 6 && payload[0] === 0 && payload[1] === 0 && payload[2] === 1 ? 6 + payload.readUInt16BE(4) : 0;
      if (this.pesExpected === 6) this.pesExpected = 0; // PES_packet_length 0: unbounded
      this.pes.push(payload);
      this.lastPayloadAt = this.pushAt;
      if (this.pesExpected > 0 && this.pesBytes >= this.pesExpected) this.emit();
    }
  }

  private section(payload: Buffer): Buffer | undefined {
    const pointer = payload[0]!;
    const start = 1 + pointer;
    if (start + 3 > payload.length) return undefined;
    const length = ((payload[start + 1]! & 0x0f) << 8) | payload[start + 2]!;
    const end = Math.min(payload.length, start + 3 + length);
    return payload.subarray(start, end);
  }

  private pat(payload: Buffer): void {
    const s = this.section(payload);
    if (!s || s[0] !== 0x00) return;
    // 8-byte header, then 4-byte entries, then a 4-byte CRC.
    for (let i = 8; i + 4 <= s.length - 4; i += 4) {
      const program = (s[i]! << 8) | s[i + 1]!;
      const pid = ((s[i + 2]! & 0x1f) << 8) | s[i + 3]!;
      if (program !== 0) {
        this.pmtPid = pid;
        return;
      }
    }
  }

  private pmt(payload: Buffer): void {
    const s = this.section(payload);
    if (!s || s[0] !== 0x02 || s.length < 12) return;
    const programInfoLength = ((s[10]! & 0x0f) << 8) | s[11]!;
    for (let i = 12 + programInfoLength; i + 5 <= s.length - 4; ) {
      const type = s[i]!;
      const pid = ((s[i + 1]! & 0x1f) << 8) | s[i + 2]!;
      const esInfoLength = ((s[i + 3]! & 0x0f) << 8) | s[i + 4]!;
      if (type === STREAM_TYPE_H264) {
        if (this.videoPid !== pid) {
          this.videoPid = pid;
          this.lastCc = -1;
        }
        return;
      }
      i += 5 + esInfoLength;
    }
  }

  private emit(): void {
    if (this.pes.length === 0) return;
    const data = this.pes.length === 1 ? this.pes[0]! : Buffer.concat(this.pes, this.pesBytes);
    this.pes = [];
    this.pesBytes = 0;
    const expected = this.pesExpected;
    this.pesExpected = 0;
    if (this.pesBroken) return;
    if (data.length < 9 || data[0] !== 0 || data[1] !== 0 || data[2] !== 1) {
      this.stats.droppedPes += 1;
      return;
    }
    const flags = data[7]! >> 6;
    const headerLength = data[8]!;
    const pts = flags & 0x2 ? readTimestamp(data, 9) : undefined;
    const dts = flags === 0x3 ? readTimestamp(data, 14) : pts;
    if (9 + headerLength > data.length) {
      this.stats.droppedPes += 1;
      return;
    }
    const end = expected > 0 ? Math.min(data.length, expected) : data.length;
    this.onPes({ pts, dts, data: data.subarray(9 + headerLength, end), receivedAt: this.lastPayloadAt });
  }
}

function readTimestamp(b: Buffer, i: number): number {
  return ((b[i]! >> 1) & 0x07) * 0x40000000 + ((b[i + 1]! << 7) | (b[i + 2]! >> 1)) * 0x8000 + ((b[i + 3]! << 7) | (b[i + 4]! >> 1));
}
