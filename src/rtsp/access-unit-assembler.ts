import { NAL, nalType, splitAnnexB } from './h264-nal.js';
import type { AccessUnit } from './h264-source.js';

const TWO_POW_33 = 2 ** 33;

/**
 * Turns the PES packets of an H.264 elementary stream (Annex-B, as ffmpeg's MPEG-TS carries them) into access
 * units: the 33-bit timestamps unwrapped into one rising 90 kHz count, the NAL units split out without access unit
 * delimiters, filler or reserved types. One assembler per run of a stream: `reset` when the stream restarts.
 */
export class AccessUnitAssembler {
  private lastPts: number | undefined;
  private wraps = 0;

  reset(): void {
    this.lastPts = undefined;
    this.wraps = 0;
  }

  /** The access unit a PES carries, or undefined when it has no timestamp or no picture data. */
  fromPes(pts33: number | undefined, data: Buffer, receivedAt?: number): AccessUnit | undefined {
    if (pts33 === undefined) return undefined;
    if (this.lastPts !== undefined && pts33 + this.wraps * TWO_POW_33 < this.lastPts - TWO_POW_33 / 2) this.wraps += 1;
    const pts = pts33 + this.wraps * TWO_POW_33;
    this.lastPts = pts;
    const nals = splitAnnexB(data).filter((n) => {
      const t = nalType(n);
      return t !== NAL.AUD && t !== NAL.FILLER && t !== 0 && t < 24;
    });
    if (nals.length === 0) return undefined;
    return { nals, pts, keyframe: nals.some((n) => nalType(n) === NAL.IDR), ...(receivedAt === undefined ? {} : { receivedAt }) };
  }
}
