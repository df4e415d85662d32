import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaClock, SharedTimeline } from '../../../src/rtsp/index.js';
import type { MediaTrack, RtpUnit, RtpUnitListener } from '../../../src/rtsp/index.js';
import { TrackOutput } from '../../../src/rtsp/track-output.js';

describe('media clock', () => {
  it('maps wall time to the video timeline by the least-delayed frame, and follows the video after the window', () => {
    let now = 1_000_000;
    const clock = new MediaClock(() => now);
    assert.equal(clock.anchored, false);
    assert.equal(clock.timestampAt(1000), 90_000, 'before any frame: the wall clock at 90 kHz');
    // Frames every 100 ms (9000 ticks) from timestamp 500 000; arrival delays of 30, 5 and 60 ms.
    clock.observe(500_000, 1_000_030);
    clock.observe(509_000, 1_000_105);
    clock.observe(518_000, 1_000_260);
    assert.equal(clock.anchored, true);
    assert.equal(clock.timestampAt(1_000_005), 500_000 - 90 * 0, 'the frame that came 5 ms late defines the mapping');
    assert.equal(clock.timestampAt(1_000_305), 527_000);
    now = 1_000_305;
    assert.equal(clock.timestampNow(), 527_000);
    // The video's timing moves 1 s later (a new mapping): after two windows the old one is forgotten.
    for (let t = 0; t < 12_000; t += 100) clock.observe(500_000 + ((t + 1000) * 90), 1_001_000 + t + 1000);
    assert.equal(clock.timestampAt(1_014_000), 500_000 + 13_000 * 90);
  });
});

class FakeTrack implements MediaTrack {
  readonly payloadType: number;
  readonly clockRate = 90_000;
  private listener: RtpUnitListener | undefined;
  constructor(readonly kind: 'video' | 'application', private readonly clock: MediaClock) {
    this.payloadType = kind === 'video' ? 96 : 107;
  }
  sdpAttributes(): string[] {
    return [];
  }
  prepare(): Promise<void> {
    return Promise.resolve();
  }
  acquire(): void {}
  release(): void {}
  subscribe(listener: RtpUnitListener): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  currentTimestamp(): number {
    return this.clock.timestampNow();
  }
  emit(timestamp: number): void {
    const unit: RtpUnit = { parts: [Buffer.from('x')], marker: true, timestamp, syncPoint: true };
    this.listener?.([unit]);
  }
}

describe('shared RTP timeline of a session', () => {
  it('gives video and metadata one timestamp base, so the same instant has the same RTP time in both', () => {
    const now = 2_000_000;
    const clock = new MediaClock(() => now);
    clock.observe(1_000_000, now);
    const video = new FakeTrack('video', clock);
    const meta = new FakeTrack('application', clock);
    const shared = new SharedTimeline();
    const sent: Array<{ pt: number; ts: number }> = [];
    const sink = (pt: number) => ({ description: 'x', sendRtp: (packets: readonly (readonly Buffer[])[]) => packets.forEach((p) => sent.push({ pt, ts: p[0]!.readUInt32BE(4) })), sendRtcp: () => undefined });
    const vOut = new TrackOutput(video, 'trackID=0', sink(96), undefined, shared);
    const mOut = new TrackOutput(meta, 'trackID=1', sink(107), undefined, shared);
    const infoV = vOut.rtpInfo();
    const infoM = mOut.rtpInfo();
    assert.equal(infoV.rtptime, infoM.rtptime, 'RTP-Info announces the same rtptime for both tracks');
    vOut.play();
    mOut.play();
    video.emit(1_000_000 + 9000);
    meta.emit(1_000_000 - 9000); // a document about a frame from before PLAY
    meta.emit(1_000_000 + 9000); // the document of the frame sent
    video.emit(1_000_000 + 18_000);
    const v = sent.filter((s) => s.pt === 96);
    const m = sent.filter((s) => s.pt === 107);
    assert.equal(m.length, 1, 'once the session started, a document about a moment before it is not sent');
    assert.equal(m[0]!.ts, v[0]!.ts, 'document and frame of the same instant share their RTP time');
    assert.equal((v[1]!.ts - v[0]!.ts) >>> 0, 9000);
    vOut.close();
    mOut.close();
  });
});
