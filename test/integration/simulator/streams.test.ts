import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { decodeFrames, run } from '../../support/processes.js';

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.href;
}

describe('simulated camera RTSP streams, read by ffmpeg, ffprobe and GStreamer', { concurrency: true }, () => {
  let sim: SimulatorHandle;
  let main: string;
  let sub: string;
  before(async () => {
    sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'Stream-pw' });
    main = withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Stream-pw');
    sub = withCredentials(sim.cameras[0]!.rtsp.sub, 'admin', 'Stream-pw');
  });
  after(() => sim.stop());

  it('ffprobe over RTSP/TCP with credentials sees H.264 at the clip size, stamped at 90 kHz from the source timing', async () => {
    const streams = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', main], { timeoutMs: 30_000 });
    assert.equal(streams.stdout.trim(), 'h264,768,576', streams.stderr);
    const packets = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0', '-show_entries', 'packet=pts,flags', '-read_intervals', '%+#25', '-of', 'csv=p=0', main], { timeoutMs: 30_000 });
    const rows = packets.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(','));
    assert.ok(rows.length >= 20, packets.stderr);
    assert.match(rows[0]![1]!, /^K/, 'a client starts on a key frame');
    // ffmpeg leaves the very first packet unstamped; every later one carries the RTP time.
    const pts = rows.map((r) => Number(r[0])).filter((n) => Number.isFinite(n));
    const steps = pts.slice(1).map((p, i) => p - pts[i]!);
    assert.deepEqual([...new Set(steps)], [9000], 'the 10 fps clip gives 9000 ticks of 90 kHz per frame');
  });

  it('four ffmpeg clients at once each decode 100 frames of the main stream', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => decodeFrames(main, 100, { timeoutMs: 90_000 })));
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.frames, 100, r.stderr);
      assert.equal(r.dimensions, '768x576');
      assert.doesNotMatch(r.stderr, /error|corrupt|missing/i);
    }
  });

  it('ffmpeg decodes 100 frames of the sub stream (transcoded once: 384x288, 5 fps)', async () => {
    const r = await decodeFrames(sub, 100, { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.frames, 100, r.stderr);
    assert.equal(r.dimensions, '384x288');
    assert.doesNotMatch(r.stderr, /error|corrupt|missing/i);
  });

  it('GStreamer rtspsrc (TCP, Digest) plays and decodes the main stream', async () => {
    const gst = await run(
      'gst-launch-1.0',
      ['-q', 'rtspsrc', `location=${sim.cameras[0]!.rtsp.main}`, 'protocols=tcp', 'user-id=admin', 'user-pw=Stream-pw', '!', 'rtph264depay', '!', 'h264parse', '!', 'openh264dec', '!', 'fakesink', 'num-buffers=20'],
      { timeoutMs: 45_000 },
    );
    assert.equal(gst.code, 0, `gst-launch failed: ${gst.stdout}${gst.stderr}`);
  });

  it('ffmpeg receives the stream over RTP/UDP on loopback', async () => {
    const r = await decodeFrames(main, 20, { transport: 'udp', timeoutMs: 45_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.frames, 20, r.stderr);
  });

  it('refuses clients without credentials or with a wrong password (401)', async () => {
    const anonymous = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', sim.cameras[0]!.rtsp.main], { timeoutMs: 20_000 });
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stderr, /401 Unauthorized/);
    const wrong = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'nope')], { timeoutMs: 20_000 });
    assert.match(wrong.stderr, /401 Unauthorized/);
  });
});
