import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DigestServer, staticCredentials } from '../../../src/auth/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { FfmpegH264Source, H264Track, NAL, OnvifMetadataTrack, RtspServer } from '../../../src/rtsp/index.js';
import { SAMPLE_CLIP, SHARED_DIR } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { RawRtspClient, rtp } from '../../support/rtsp-client.js';
import { validateDocuments } from '../../support/schemas.js';
import { tempDir } from '../../support/temp.js';

const CREDENTIALS = { user: 'viewer', password: 'rtsp-secret' };

function metadataDocument(n: number): string {
  const objects = Array.from({ length: 6 }, (_v, i) => `<tt:Object ObjectId="${n * 10 + i}"><tt:Appearance><tt:Shape><tt:BoundingBox left="-0.5" top="0.5" right="-0.1" bottom="0.1"/><tt:CenterOfGravity x="-0.3" y="0.3"/></tt:Shape></tt:Appearance></tt:Object>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"><tt:VideoAnalytics><tt:Frame UtcTime="${new Date().toISOString()}">${objects}</tt:Frame></tt:VideoAnalytics></tt:MetadataStream>`;
}

describe('RTSP server', { concurrency: true }, () => {
  let server: RtspServer;
  let video: H264Track;
  let base: string;
  const metadata = new OnvifMetadataTrack({ maxPayloadSize: 300 });
  let publisher: NodeJS.Timeout;

  before(async () => {
    const logger = silentLogger();
    video = new H264Track({ source: new FfmpegH264Source({ input: SAMPLE_CLIP, logger }), logger, label: 'test video', lingerSeconds: 2 });
    server = new RtspServer({ host: '127.0.0.1', port: 0, logger, auth: new DigestServer({ realm: 'test', credentials: staticCredentials([{ username: CREDENTIALS.user, password: CREDENTIALS.password }]) }), sessionTimeoutSeconds: 2 });
    server.mount('/video', { name: 'video', tracks: [video] });
    server.mount('/analytics', { name: 'video and metadata', tracks: [video, metadata] });
    server.mount('/metadata', { name: 'metadata only', tracks: [metadata] });
    await server.start();
    base = `rtsp://127.0.0.1:${server.port}`;
    let n = 0;
    publisher = setInterval(() => metadata.publish(metadataDocument(++n)), 100);
  });
  after(async () => {
    clearInterval(publisher);
    await server.stop();
    await video.close();
  });

  it('speaks RTSP: OPTIONS open, Digest on the rest, SDP with Content-Base, Session timeout, RTP-Info matching the first packet, PAUSE, TEARDOWN', async () => {
    const c = await RawRtspClient.open(server.port);
    try {
      const options = await c.request('OPTIONS', `${base}/video`);
      assert.equal(options.status, 200);
      assert.match(options.headers.get('public')![0]!, /DESCRIBE.*SETUP.*PLAY.*PAUSE.*TEARDOWN.*GET_PARAMETER/);
      const anonymous = await c.request('DESCRIBE', `${base}/video`);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate')![0]!, /^Digest realm="test"/);
      const describe = await c.request('DESCRIBE', `${base}/video`, { Accept: 'application/sdp' }, CREDENTIALS);
      assert.equal(describe.status, 200);
      assert.equal(describe.headers.get('content-base')![0], `${base}/video/`);
      assert.match(describe.body, /m=video 0 RTP\/AVP 96\r\na=rtpmap:96 H264\/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=4D401F;sprop-parameter-sets=Z[^,]+,aO[^\r]+\r\na=control:trackID=0/);
      assert.equal((await c.request('DESCRIBE', `${base}/nothing`)).status, 404);

      const setup = await c.request('SETUP', `${base}/video/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      assert.equal(setup.status, 200);
      assert.match(setup.headers.get('transport')![0]!, /^RTP\/AVP\/TCP;unicast;interleaved=0-1;ssrc=[0-9A-F]{8}$/);
      const [session, timeout] = setup.headers.get('session')![0]!.split(';');
      assert.equal(timeout, 'timeout=2');
      assert.equal((await c.request('PLAY', `${base}/video/`, { Session: 'bogus' })).status, 454);
      const play = await c.request('PLAY', `${base}/video/`, { Session: session!, Range: 'npt=0.000-' });
      assert.equal(play.status, 200);
      const info = /url=([^;]+);seq=(\d+);rtptime=(\d+)/.exec(play.headers.get('rtp-info')![0]!)!;
      assert.equal(info[1], `${base}/video/trackID=0`);
      const frames = await c.waitFrames(0, 30);
      const packets = frames.map((f) => rtp(f.data));
      assert.equal(packets[0]!.seq, Number(info[2]), 'the first packet has the announced sequence number');
      assert.ok(packets[0]!.timestamp >= Number(info[3]) && packets[0]!.timestamp - Number(info[3]) < 90_000 * 3, 'and a timestamp at or just after the announced rtptime');
      assert.equal(packets[0]!.payload[0]! & 0x1f, NAL.SPS, 'a client starts with the parameter sets of a key frame');
      packets.slice(1).forEach((p, i) => assert.equal(p.seq, (packets[i]!.seq + 1) & 0xffff, 'no gap in sequence numbers'));
      for (let i = 0; i + 1 < packets.length; i += 1) {
        if (packets[i]!.timestamp !== packets[i + 1]!.timestamp) assert.ok(packets[i]!.marker, 'the marker bit closes every frame');
        else assert.ok(!packets[i]!.marker, 'no marker inside a frame');
      }
      assert.equal((await c.request('GET_PARAMETER', `${base}/video/`, { Session: session! })).status, 200, 'keep-alive');
      assert.equal((await c.request('PAUSE', `${base}/video/`, { Session: session! })).status, 200);
      await new Promise((r) => setTimeout(r, 300));
      const paused = c.frames.filter((f) => f.channel === 0).length;
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(c.frames.filter((f) => f.channel === 0).length, paused, 'nothing is sent while paused');
      assert.equal((await c.request('TEARDOWN', `${base}/video/`, { Session: session! })).status, 200);
      assert.equal((await c.request('PLAY', `${base}/video/`, { Session: session! })).status, 454, 'the session is gone');
      assert.equal((await c.request('RECORD', `${base}/video/`)).status, 405);
      assert.equal((await c.request('SETUP', `${base}/video/trackID=0`, { Transport: 'RTP/AVP;multicast' })).status, 461);
    } finally {
      c.close();
    }
  });

  it('carries video and an ONVIF metadata track side by side; the marker bit closes each XML document', async (t) => {
    const c = await RawRtspClient.open(server.port);
    t.after(() => c.close());
    const describe = await c.request('DESCRIBE', `${base}/analytics`, {}, CREDENTIALS);
    assert.match(describe.body, /m=application 0 RTP\/AVP 107\r\na=rtpmap:107 vnd\.onvif\.metadata\/90000\r\na=recvonly\r\na=control:trackID=1/);
    const s1 = await c.request('SETUP', `${base}/analytics/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
    const session = s1.headers.get('session')![0]!.split(';')[0]!;
    const s2 = await c.request('SETUP', `${base}/analytics/trackID=1`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=2-3', Session: session });
    assert.equal(s2.status, 200);
    const play = await c.request('PLAY', `${base}/analytics/`, { Session: session });
    assert.equal(play.headers.get('rtp-info')![0]!.split(',').length, 2, 'RTP-Info for both tracks');
    const meta = (await c.waitFrames(2, 12)).map((f) => rtp(f.data));
    assert.ok(meta.every((p) => p.payloadType === 107));
    const docs: string[] = [];
    let current: Buffer[] = [];
    for (const p of meta) {
      current.push(p.payload);
      if (p.marker) {
        docs.push(Buffer.concat(current).toString('utf8'));
        current = [];
      }
    }
    assert.ok(docs.length >= 2, 'documents span several packets and end on a marker');
    for (const d of docs) assert.match(d, /^<\?xml[^>]*><tt:MetadataStream[\s\S]*<\/tt:MetadataStream>$/);
    await c.waitFrames(0, 5);
  });

  it('GStreamer and ffmpeg read the metadata track; the documents they read are valid ONVIF metadata', async (t) => {
    const reader = join(SHARED_DIR, 'tools', 'onvif-metadata-reader.py');
    const url = new URL(`${base}/analytics`);
    url.username = CREDENTIALS.user;
    url.password = CREDENTIALS.password;
    const [gst, probe] = await Promise.all([
      run('/usr/bin/python3', [reader, url.href, '3'], { timeoutMs: 30_000 }),
      run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=index,codec_type,codec_name', '-of', 'csv=p=0', url.href], { timeoutMs: 30_000 }),
    ]);
    assert.equal(gst.code, 0, gst.stderr);
    const documents = gst.stdout.split('\n').filter((l) => l.startsWith('<?xml'));
    assert.ok(documents.length >= 3, gst.stdout);
    assert.deepEqual(probe.stdout.trim().split('\n'), ['0,h264,video', '1,unknown,data']);
    const onlyMeta = new URL(`${base}/metadata`);
    onlyMeta.username = CREDENTIALS.user;
    onlyMeta.password = CREDENTIALS.password;
    const metaOnly = await run('/usr/bin/python3', [reader, onlyMeta.href, '2'], { timeoutMs: 30_000, env: { ...process.env, NOVIDEO: '1' } });
    assert.equal(metaOnly.code, 0, metaOnly.stderr);
    const result = await validateDocuments('metadata', await tempDir(t), Object.fromEntries(documents.slice(0, 3).map((d, i) => [`doc-${i}`, d])));
    assert.ok(result.ok, result.output);
  });

  it('ends a UDP session whose client stops sending keep-alives', async (t) => {
    // Both client ports are held by this test: the server keeps a UDP session alive on RTCP from the client's RTCP
    // port, and another client of this server (the concurrent GStreamer test) could otherwise get that port.
    const { rtpSocket, rtcpSocket } = await udpPortPair();
    t.after(() => {
      rtpSocket.close();
      rtcpSocket.close();
    });
    let received = 0;
    let lastPacketAt = 0;
    rtpSocket.on('message', () => {
      received += 1;
      lastPacketAt = Date.now();
    });
    const port = rtpSocket.address().port;
    const c = await RawRtspClient.open(server.port);
    t.after(() => c.close());
    await c.request('DESCRIBE', `${base}/video`, {}, CREDENTIALS);
    const setup = await c.request('SETUP', `${base}/video/trackID=0`, { Transport: `RTP/AVP;unicast;client_port=${port}-${port + 1}` });
    assert.match(setup.headers.get('transport')![0]!, new RegExp(`^RTP/AVP;unicast;client_port=${port}-${port + 1};server_port=\\d+-\\d+;ssrc=`));
    const session = setup.headers.get('session')![0]!.split(';')[0]!;
    await c.request('PLAY', `${base}/video/`, { Session: session });
    const deadline = Date.now() + 10_000;
    while (received < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(received >= 10, 'RTP arrives over UDP');
    c.close();
    // No RTSP keep-alive, no RTCP: the 2 s session timeout ends it, and the server stops sending. (The session
    // count is not looked at: the other tests of this server run at the same time and hold sessions of their own.)
    const closedAt = Date.now();
    while (Date.now() - closedAt < 10_000 && (Date.now() - closedAt < 2000 || Date.now() - lastPacketAt < 1000)) await new Promise((r) => setTimeout(r, 100));
    assert.ok(Date.now() - lastPacketAt >= 1000, `RTP still arrives ${Math.round((Date.now() - closedAt) / 1000)} s after the client went silent`);
    const after = await RawRtspClient.open(server.port);
    t.after(() => after.close());
    const reply = await after.request('GET_PARAMETER', `${base}/video/`, { Session: session }, CREDENTIALS);
    assert.equal(reply.status, 454, 'the session is gone');
  });

  it('survives garbage, oversized requests, floods of idle connections and clients vanishing mid-stream', async () => {
    const garbage = await new Promise<string>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () => s.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x13, 0x37])));
      let got = '';
      s.on('data', (d) => (got += d.toString('latin1')));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    assert.match(garbage, /^RTSP\/1\.0 400 Bad Request/);
    const huge = await RawRtspClient.open(server.port);
    huge.write(`DESCRIBE ${base}/video RTSP/1.0\r\nCSeq: 1\r\nX-Junk: ${'j'.repeat(40_000)}\r\n\r\n`);
    const idle = await Promise.all(Array.from({ length: 30 }, () => RawRtspClient.open(server.port)));
    // One connection cannot pile up sessions (each holds a source).
    const greedy = await RawRtspClient.open(server.port);
    await greedy.request('OPTIONS', `${base}/video`);
    const statuses: number[] = [];
    for (let i = 0; i < 18; i += 1) statuses.push((await greedy.request('SETUP', `${base}/video/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast' }, CREDENTIALS)).status);
    assert.deepEqual(statuses.slice(14), [200, 200, 453, 453]);
    greedy.close();
    for (let i = 0; i < 5; i += 1) {
      const c = await RawRtspClient.open(server.port);
      await c.request('DESCRIBE', `${base}/analytics`, {}, CREDENTIALS);
      const s = await c.request('SETUP', `${base}/analytics/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      await c.request('PLAY', `${base}/analytics/`, { Session: s.headers.get('session')![0]!.split(';')[0]! });
      await c.waitFrames(0, 3);
      c.socket.resetAndDestroy();
    }
    for (const c of [huge, ...idle]) c.close();
    const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', `rtsp://${CREDENTIALS.user}:${CREDENTIALS.password}@127.0.0.1:${server.port}/video`], { timeoutMs: 30_000 });
    assert.equal(probe.stdout.trim(), '768,576', probe.stderr);
  });
});

/** Two UDP sockets on consecutive loopback ports: RTP on the first, RTCP on the next. */
async function udpPortPair(): Promise<{ rtpSocket: Socket; rtcpSocket: Socket }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rtpSocket = createSocket('udp4');
    await new Promise<void>((r) => rtpSocket.bind(0, '127.0.0.1', r));
    const rtcpSocket = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      rtcpSocket.once('error', () => resolve(false));
      rtcpSocket.bind(rtpSocket.address().port + 1, '127.0.0.1', () => resolve(true));
    });
    if (bound) return { rtpSocket, rtcpSocket };
    rtpSocket.close();
    rtcpSocket.close();
  }
  throw new Error('no two consecutive free UDP ports on 127.0.0.1 in 50 attempts');
}
