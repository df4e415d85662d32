/** H.264 NAL unit types Vigie looks at (ITU-T H.264 Table 7-1). */
export const NAL = {
  SLICE: 1,
  IDR: 5,
  SEI: 6,
  SPS: 7,
  PPS: 8,
  AUD: 9,
  FILLER: 12,
  STAP_A: 24,
  FU_A: 28,
} as const;

export function nalType(nal: Buffer): number {
  return (nal[0] ?? 0) & 0x1f;
}

const START_CODE = Buffer.from([0, 0, 1]);

/**
 * Splits an Annex-B byte stream (NAL units behind 00 00 01 or 00 00 00 01 start codes) into NAL units. The units
 * are views into `data` (no copy); trailing zero bytes before a start code are dropped.
 */
export function splitAnnexB(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  let i = data.indexOf(START_CODE, 0);
  while (i !== -1) {
    if (start >= 0) pushNal(nals, data, start, i);
    start = i + 3;
    i = data.indexOf(START_CODE, start);
  }
  if (start >= 0) pushNal(nals, data, start, data.length);
  return nals;
}

function pushNal(out: Buffer[], data: Buffer, start: number, end: number): void {
  let e = end;
  while (e > start && data[e - 1] === 0) e -= 1;
  if (e > start) out.push(data.subarray(start, e));
}

/** Annex-B bytes for a list of NAL units (4-byte start codes). */
export function joinAnnexB(nals: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const nal of nals) parts.push(START_CODE_4, nal);
  return Buffer.concat(parts);
}

const START_CODE_4 = Buffer.from([0, 0, 0, 1]);
