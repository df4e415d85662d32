import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { NAL, TsDemuxer, joinAnnexB, nalType, packetizeH264, splitAnnexB } from '../../../src/rtsp/index.js';
import { SAMPLE_CLIP } from '../../support/paths.js';

/** Reassembles NAL units from RFC 6184 payloads (single NAL unit packets and FU-A), as a receiver does. */
function depacketize(payloads: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let fu: Buffer[] = [];
  for (const p of payloads) {
    const type = p[0]! & 0x1f;
    if (type !== NAL.FU_A) {
      out.push(p);
      continue;
    }
    const header = p[1]!;
    if (header & 0x80) fu = [Buffer.from([(p[0]! & 0xe0) | (header & 0x1f)])];
    fu.push(p.subarray(2));
    if (header & 0x40) out.push(Buffer.concat(fu));
  }
  return out;
}

describe('H.264 over RTP (RFC 6184)', () => {
  it('sends small NAL units whole and splits large ones into FU-A fragments, marker on the last packet', () => {
    const sps = Buffer.from([0x67, 0x4d, 0x40, 0x1f, 1, 2, 3]);
    const idr = Buffer.concat([Buffer.from([0x65]), Buffer.alloc(5000, 7)]);
    const payloads = packetizeH264([sps, idr], 1400);
    assert.equal(payloads[0]!.parts.length, 1, 'SPS as a single NAL unit packet');
    assert.ok(payloads.slice(1).every((p) => Buffer.concat(p.parts).length <= 1400));
    assert.deepEqual(payloads.map((p) => p.marker), payloads.map((_p, i) => i === payloads.length - 1));
    const fus = payloads.slice(1).map((p) => Buffer.concat(p.parts));
    assert.equal(fus[0]![1]! & 0xc0, 0x80, 'start bit on the first fragment');
    assert.equal(fus.at(-1)![1]! & 0xc0, 0x40, 'end bit on the last fragment');
    assert.deepEqual(depacketize(payloads.map((p) => Buffer.concat(p.parts))), [sps, idr]);
  });

  it('splits Annex-B streams on 3- and 4-byte start codes', () => {
    const a = Buffer.from([0x67, 1, 2]);
    const b = Buffer.from([0x68, 3]);
    const c = Buffer.from([0x65, 0, 0, 3, 0, 9]);
    assert.deepEqual(splitAnnexB(Buffer.concat([Buffer.from([0, 0, 0, 1]), a, Buffer.from([0, 0, 1]), b, Buffer.from([0, 0, 0, 1]), c])), [a, b, c]);
    assert.deepEqual(splitAnnexB(joinAnnexB([a, b, c])), [a, b, c]);
  });

  it('reads 90 kHz timestamps and whole access units from ffmpeg MPEG-TS, across a file loop', () => {
    // The sample clip played twice (one loop), as the RTSP sources read it, but without -re (no real-time wait).
    const ts = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-stream_loop', '1', '-i', SAMPLE_CLIP, '-map', '0:v:0', '-c', 'copy', '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', 'pipe:1'], { maxBuffer: 128 * 1024 * 1024 });
    assert.equal(ts.status, 0, ts.stderr.toString());
    const units: Array<{ pts: number; nals: Buffer[] }> = [];
    const demuxer = new TsDemuxer((pes) => units.push({ pts: pes.pts!, nals: splitAnnexB(pes.data) }));
    // Feed in odd-sized chunks, as a pipe delivers them.
    for (let i = 0; i < ts.stdout.length; i += 65_531) demuxer.push(ts.stdout.subarray(i, Math.min(i + 65_531, ts.stdout.length)));
    demuxer.flush();
    assert.equal(units.length, 2 * 795, 'every frame of both passes');
    const steps = units.slice(1).map((u, i) => u.pts - units[i]!.pts);
    assert.ok(steps.every((s) => s === 9000), `10 fps is 9000 ticks per frame at 90 kHz, got ${[...new Set(steps)].join(',')}`);
    const first = units[0]!.nals.map(nalType);
    assert.ok(first.includes(NAL.SPS) && first.includes(NAL.PPS) && first.includes(NAL.IDR), 'the first unit carries SPS, PPS and an IDR slice');
    assert.equal(demuxer.stats.continuityErrors, 0);
    assert.ok(units[795]!.nals.map(nalType).includes(NAL.IDR), 'the loop restarts on a key frame');
  });

  it('hands out a video PES that carries its length as soon as it is whole, the same bytes as without the length', () => {
    const mux = (omit: string) =>
      spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', SAMPLE_CLIP, '-frames:v', '40', '-map', '0:v:0', '-c', 'copy', '-f', 'mpegts', '-omit_video_pes_length', omit, '-muxdelay', '0', '-muxpreload', '0', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 }).stdout;
    const read = (ts: Buffer) => {
      const units: Buffer[] = [];
      const demuxer = new TsDemuxer((pes) => units.push(Buffer.from(pes.data)));
      for (let i = 0; i < ts.length; i += 188) demuxer.push(ts.subarray(i, i + 188));
      const beforeFlush = units.length;
      demuxer.flush();
      return { units, beforeFlush };
    };
    const unbounded = read(mux('1'));
    const bounded = read(mux('0'));
    assert.equal(bounded.units.length, 40);
    assert.deepEqual(bounded.units, unbounded.units, 'the same access units');
    assert.equal(unbounded.beforeFlush, 39, 'without its length, the last frame waits for a next one that never comes');
    assert.equal(bounded.beforeFlush, 40, 'with it, every frame is out as soon as its last packet is in');
  });

  it('resynchronises after garbage and survives truncated packets', () => {
    const units: number[] = [];
    const demuxer = new TsDemuxer((pes) => units.push(pes.data.length));
    demuxer.push(Buffer.from('garbage that is not a transport stream'.repeat(20)));
    demuxer.push(Buffer.alloc(188 * 3, 0x47));
    demuxer.flush();
    assert.ok(demuxer.stats.resyncs > 0);
  });
});
