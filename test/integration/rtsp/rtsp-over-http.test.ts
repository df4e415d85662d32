import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { NS, parseXml, xmlNamespace } from '../../../src/soap/index.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { decodeFrames, run } from '../../support/processes.js';
import { soapCall } from '../../support/soap-client.js';

const tr2 = xmlNamespace('tr2', NS.tr2);

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.href;
}

describe('RTSP over HTTP (QuickTime tunnel) on the RTSP port of a simulated camera, read by ffmpeg, ffprobe and GStreamer', { concurrency: true }, () => {
  let sim: SimulatorHandle;
  let main: string;
  before(async () => {
    sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'Tunnel-pw' });
    main = withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Tunnel-pw');
  });
  after(() => sim.stop());

  it('ffmpeg -rtsp_transport http decodes 30 frames through the tunnel at the URI of GetStreamUri RtspOverHttp, and ffprobe lists the H.264 stream', async () => {
    const cam = sim.cameras[0]!;
    const res = await soapCall(cam.media2ServiceUrl, tr2('GetStreamUri', [tr2('Protocol', 'RtspOverHttp'), tr2('ProfileToken', 'profile_main')]), { auth: 'digest', user: 'admin', password: 'Tunnel-pw' });
    assert.equal(res.status, 200, res.text);
    const uri = parseXml(res.text).find([NS.soap, 'Body'], [NS.tr2, 'GetStreamUriResponse'], [NS.tr2, 'Uri'])!.text.trim();
    assert.equal(uri, `http://127.0.0.1:${cam.rtspPort}${new URL(cam.rtsp.main).pathname}`, 'the tunnel URI: http:// on the RTSP port');
    // ffmpeg and GStreamer take the tunnel's http:// URI as rtsp:// (rtsph:// for GStreamer) plus the HTTP transport.
    const tunnelled = withCredentials(uri.replace(/^http:/, 'rtsp:'), 'admin', 'Tunnel-pw');
    const r = await decodeFrames(tunnelled, 30, { transport: 'http', timeoutMs: 45_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.frames, 30, r.stderr);
    assert.equal(r.dimensions, '768x576');
    const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'http', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', main], { timeoutMs: 30_000 });
    assert.equal(probe.stdout.trim(), 'h264,768,576', probe.stderr);
  });

  it('GStreamer rtspsrc with rtsph:// (HTTP tunnel, Digest) plays and decodes the main stream', async () => {
    const location = sim.cameras[0]!.rtsp.main.replace(/^rtsp:/, 'rtsph:');
    const gst = await run(
      'gst-launch-1.0',
      ['-q', 'rtspsrc', `location=${location}`, 'user-id=admin', 'user-pw=Tunnel-pw', '!', 'rtph264depay', '!', 'h264parse', '!', 'openh264dec', '!', 'fakesink', 'num-buffers=20'],
      { timeoutMs: 45_000 },
    );
    assert.equal(gst.code, 0, `gst-launch failed: ${gst.stdout}${gst.stderr}`);
  });

  it('a wrong password through the tunnel gets 401 and no stream', async () => {
    const wrong = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'http', withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'nope')], { timeoutMs: 20_000 });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /401 Unauthorized/);
  });
});
