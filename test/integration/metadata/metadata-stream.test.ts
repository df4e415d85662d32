import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { DigestServer, staticCredentials } from '../../../src/auth/index.js';
import { configSchema } from '../../../src/config/index.js';
import { CameraStreamUnknownError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { createMetadataStreamer, toOnvifBox, type MetadataFrame, type MetadataStreamer } from '../../../src/metadata/index.js';
import type { AnalyticsEvent, TrackedObject } from '../../../src/sdk/index.js';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { readDocument, splitDocuments, type ReadDocument } from '../../support/onvif-metadata.js';
import { SAMPLE_CLIP, SHARED_DIR, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { NS, xmlNamespace } from '../../../src/soap/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { soapCall } from '../../support/soap-client.js';
import { RawRtspClient, rtp } from '../../support/rtsp-client.js';
import { validateDocuments } from '../../support/schemas.js';
import { tempDir } from '../../support/temp.js';

const VIEWER = { user: 'operator', password: 'vigie-rtsp-pw' };
const READER = join(SHARED_DIR, 'tools', 'onvif-metadata-reader.py');

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.href;
}

/** Tracks that move with the frame sequence: a person walking right and a car near the bottom right. */
function tracksOf(sequence: number): TrackedObject[] {
  const x = (sequence % 50) / 100;
  const t = (trackId: number, label: string, score: number, box: TrackedObject['box']): TrackedObject => ({
    trackId,
    label,
    classId: 0,
    score,
    box,
    velocity: { x: 0.1, y: 0 },
    firstSeen: 0,
    lastSeen: 0,
    confirmed: true,
  });
  return [t(7, 'person', 0.87, { x1: x, y1: 0.1, x2: x + 0.1, y2: 0.45 }), t(9, 'car', 0.66, { x1: 0.6, y1: 0.7, x2: 0.95, y2: 0.98 })];
}

function intrusion(sequence: number, frameTime: number): AnalyticsEvent {
  return {
    id: `ev-${sequence}`,
    incidentId: 'inc-1',
    type: 'intrusion',
    state: 'start',
    sequence,
    cameraId: 'gate',
    cameraName: 'Gate',
    rule: { name: 'track-side', type: 'intrusion' },
    frameTime: new Date(frameTime).toISOString(),
    emittedAt: new Date().toISOString(),
    message: 'Intrusion in zone "track-side": 1 person',
    objects: [{ trackId: 7, label: 'person', score: 0.87, box: { x1: 0.1, y1: 0.1, x2: 0.2, y2: 0.45 } }],
    counts: { inside: 1 },
    provenance: { model: { id: 'm', sha256: 'x' }, thresholds: {}, ruleConfigSha256: 'y', software: 'test' },
  };
}

describe('metadata stream: analysed cameras on Vigie RTSP server (video passthrough + ONVIF metadata track)', () => {
  let sim: SimulatorHandle;
  let streamer: MetadataStreamer;
  let base: string;
  let url: string;
  let publisher: NodeJS.Timeout;
  /** Every frame published, by the UtcTime its document carries. */
  const published = new Map<string, MetadataFrame>();
  let sequence = 0;

  const publishNow = () => {
    sequence += 1;
    const captureTime = Date.now();
    const frame: MetadataFrame = { cameraId: 'gate', sequence, captureTime, width: 768, height: 576, tracks: tracksOf(sequence), events: sequence % 5 === 0 ? [intrusion(sequence, captureTime)] : [] };
    published.set(new Date(captureTime).toISOString(), frame);
    streamer.publish(frame);
  };

  /** Each document's objects are those of the frame published with its UtcTime: same ids, boxes in ONVIF coordinates, y up. */
  const assertMatchesPublished = (docs: ReadDocument[]) => {
    for (const doc of docs) {
      // A document of a published frame, or a keep-alive (a second without a frame) repeating the last one before it.
      const utc = Date.parse(doc.utcTime ?? '');
      const frame = published.get(doc.utcTime ?? '') ?? [...published.values()].filter((f) => f.captureTime <= utc).at(-1);
      assert.ok(frame, `a document for a frame that was published (UtcTime ${doc.utcTime})`);
      assert.equal(doc.objects.length, frame.tracks.length);
      for (const track of frame.tracks) {
        const o = doc.objects.find((x) => x.id === track.trackId);
        assert.ok(o, `object ${track.trackId} in the document`);
        const want = toOnvifBox(track.box);
        for (const k of ['left', 'top', 'right', 'bottom'] as const) assert.ok(Math.abs(o[k] - want[k]) < 1e-4, `${k} ${o[k]} vs ${want[k]}`);
        assert.ok(o.top > o.bottom, 'y points up: top above bottom');
        assert.ok(Math.abs(o.cx - (want.left + want.right) / 2) < 1e-4 && Math.abs(o.cy - (want.top + want.bottom) / 2) < 1e-4, 'centre of gravity');
        assert.equal(o.likelihood, track.score);
      }
      assert.equal(doc.objects.find((x) => x.id === 7)?.type, 'Human');
      assert.equal(doc.objects.find((x) => x.id === 9)?.type, 'Vehicle');
      // The person is in the top half of the picture (y down 0.1..0.45): above the centre in ONVIF terms.
      assert.ok(doc.objects.find((x) => x.id === 7)!.bottom > 0);
    }
  };

  before(async () => {
    const logger = silentLogger();
    sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'Camera-pw' });
    streamer = createMetadataStreamer({
      host: '127.0.0.1',
      port: 0,
      logger,
      auth: new DigestServer({ realm: 'Vigie', credentials: staticCredentials([{ username: VIEWER.user, password: VIEWER.password }]) }),
      lingerSeconds: 1,
      maxPayloadSize: 500,
      staleSeconds: 1.6,
    });
    await streamer.addCamera({ cameraId: 'gate', name: 'Gate', url: withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Camera-pw') });
    const { port } = await streamer.start();
    base = `rtsp://127.0.0.1:${port}`;
    url = withCredentials(`${base}${streamer.rtspPath('gate')}`, VIEWER.user, VIEWER.password);
    publisher = setInterval(publishNow, 100);
  });
  after(async () => {
    clearInterval(publisher);
    await streamer.stop();
    await sim.stop();
  });

  it('ffprobe lists a video and a data stream; ffmpeg (TCP and UDP) and GStreamer read whole documents, valid ONVIF metadata whose boxes are the published tracks', async (t) => {
    assert.equal(sim.rtspSessions()[0], 0, 'the camera is not pulled before a client comes');
    const [probe, ffTcp, ffUdp, gst] = await Promise.all([
      run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=index,codec_type,codec_name,width,height', '-of', 'csv=p=0', url], { timeoutMs: 40_000 }),
      run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-map', '0:d', '-c', 'copy', '-frames:d', '40', '-f', 'data', '-'], { timeoutMs: 40_000 }),
      run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'udp', '-i', url, '-map', '0:d', '-c', 'copy', '-frames:d', '40', '-f', 'data', '-'], { timeoutMs: 40_000 }),
      run('/usr/bin/python3', [READER, url, '6'], { timeoutMs: 40_000 }),
    ]);
    assert.deepEqual(probe.stdout.trim().split('\n'), ['0,h264,video,768,576', '1,unknown,data'], probe.stderr);
    assert.equal(ffTcp.code, 0, ffTcp.stderr);
    assert.equal(ffUdp.code, 0, ffUdp.stderr);
    assert.equal(gst.code, 0, gst.stderr);
    const fromTcp = splitDocuments(ffTcp.stdout);
    const fromUdp = splitDocuments(ffUdp.stdout);
    const fromGst = gst.stdout.split('\n').filter((l) => l.startsWith('<?xml'));
    assert.ok(fromTcp.length >= 5 && fromUdp.length >= 5 && fromGst.length >= 6, `documents read: ffmpeg tcp ${fromTcp.length}, udp ${fromUdp.length}, GStreamer ${fromGst.length}`);
    // The GStreamer reader cuts documents on the RTP marker bit: each cut is exactly one whole document.
    for (const d of fromGst) assert.deepEqual(splitDocuments(d), [d.replace(/\s+$/, '')]);
    const all = [...fromTcp, ...fromUdp, ...fromGst];
    assertMatchesPublished(all.map(readDocument));
    const withEvents = all.filter((d) => d.includes('<tt:Event>'));
    assert.ok(withEvents.length > 0, 'rule events ride in the stream');
    const event = readDocument(withEvents[0]!).events[0]!;
    assert.deepEqual(event, { topic: 'tns1:RuleEngine/FieldDetector/ObjectsInside', operation: 'Changed', data: { IsInside: 'true', ObjectId: '7', ClassTypes: 'Human' } });
    const sample = Object.fromEntries([...fromTcp.slice(0, 3), ...fromGst.slice(0, 3), ...withEvents.slice(0, 2)].map((d, i) => [`doc-${i}`, d]));
    const validation = await validateDocuments('metadata', await tempDir(t), sample);
    assert.ok(validation.ok, validation.output);
  });

  it('refuses wrong credentials with 401 and serves nothing', async (t) => {
    const wrong = withCredentials(`${base}${streamer.rtspPath('gate')}`, VIEWER.user, 'not-the-password');
    const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', wrong], { timeoutMs: 20_000 });
    assert.notEqual(probe.code, 0);
    assert.match(probe.stderr, /401 Unauthorized/);
    assert.equal(probe.stdout.trim(), '');

    const c = await RawRtspClient.open(streamer.port);
    t.after(() => c.close());
    const describeReply = await c.request('DESCRIBE', `${base}/cameras/gate`, {}, { user: VIEWER.user, password: 'not-the-password' });
    assert.equal(describeReply.status, 401);
    assert.match(describeReply.headers.get('www-authenticate')![0]!, /^Digest /);
    assert.equal(describeReply.body, '', 'no SDP');
    const setup = await c.request('SETUP', `${base}/cameras/gate/trackID=1`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
    assert.equal(setup.status, 401);
    const play = await c.request('PLAY', `${base}/cameras/gate/`, { Session: 'guess' });
    assert.equal(play.status, 401);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.frames.length, 0, 'not one RTP packet');
  });

  it('stamps each document with the RTP time of the video it describes (one timeline per session), and honours the metadata configuration', async (t) => {
    const c = await RawRtspClient.open(streamer.port);
    t.after(() => c.close());
    assert.equal((await c.request('DESCRIBE', `${base}/cameras/gate`, {}, VIEWER)).status, 200);
    const s1 = await c.request('SETUP', `${base}/cameras/gate/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
    const session = s1.headers.get('session')![0]!.split(';')[0]!;
    assert.equal((await c.request('SETUP', `${base}/cameras/gate/trackID=1`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=2-3', Session: session })).status, 200);
    assert.equal((await c.request('PLAY', `${base}/cameras/gate/`, { Session: session })).status, 200);
    await c.waitFrames(0, 60, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const video = c.frames.filter((f) => f.channel === 0).map((f) => ({ ...rtp(f.data), at: f.at }));
    const meta = c.frames.filter((f) => f.channel === 2).map((f) => rtp(f.data));
    // Documents of frames captured while video frame k was arriving carry (about) frame k's RTP time: compare each
    // document's RTP time with that of the video packet received closest to its capture time.
    const docs: Array<{ ts: number; doc: ReadDocument }> = [];
    let parts: Buffer[] = [];
    for (const p of meta) {
      parts.push(p.payload);
      if (p.marker) {
        docs.push({ ts: p.timestamp, doc: readDocument(Buffer.concat(parts).toString('utf8')) });
        parts = [];
      }
    }
    let compared = 0;
    for (const { ts, doc } of docs) {
      const capture = Date.parse(doc.utcTime!);
      const nearest = video.reduce((best, v) => (Math.abs(v.at - capture) < Math.abs(best.at - capture) ? v : best));
      if (Math.abs(nearest.at - capture) > 100) continue;
      const delta = ((ts - nearest.timestamp) << 0) / 90; // ms, 32-bit wrap-safe
      assert.ok(Math.abs(delta) < 500, `document RTP time within half a second of the video at its capture time (off by ${delta} ms)`);
      compared += 1;
    }
    assert.ok(compared >= 3, `compared ${compared} documents with the video`);

    // SetMetadataConfiguration: events off, then analytics off too (only documents with events would remain).
    assert.deepEqual(streamer.setMetadataOptions('gate', { events: false }), { analytics: true, events: false });
    const before = c.frames.length;
    await new Promise((r) => setTimeout(r, 1200));
    const later = c.frames.slice(before).filter((f) => f.channel === 2).map((f) => rtp(f.data).payload.toString('utf8')).join('');
    const laterDocs = splitDocuments(later.slice(later.indexOf('<?xml')));
    assert.ok(laterDocs.length >= 5);
    assert.ok(laterDocs.slice(1).every((d) => !d.includes('tt:Event')), 'no events once the configuration leaves them out');
    streamer.setMetadataOptions('gate', { analytics: false });
    await new Promise((r) => setTimeout(r, 300)); // a document already on its way may still arrive
    const quiet = c.frames.length;
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(c.frames.slice(quiet).every((f) => f.channel !== 2), 'nothing to send: no documents');
    streamer.setMetadataOptions('gate', { analytics: true, events: true });
    assert.throws(() => streamer.setMetadataOptions('nope', { events: false }), CameraStreamUnknownError);

    // No analysed frame for a while (motion gating, a slow pipeline): still a document a second, with the last objects.
    clearInterval(publisher);
    const lastPublished = Math.max(...[...published.values()].map((f) => f.captureTime));
    const idleFrom = c.frames.length;
    await new Promise((r) => setTimeout(r, 3300));
    const idle = c.frames.slice(idleFrom).filter((f) => f.channel === 2).map((f) => rtp(f.data).payload.toString('utf8')).join('');
    const keptAlive = splitDocuments(idle).map(readDocument).filter((d) => Date.parse(d.utcTime!) > lastPublished + 500);
    assert.ok(keptAlive.length >= 2 && keptAlive.length <= 4, `keep-alive documents: ${keptAlive.length}`);
    assert.deepEqual(keptAlive[0]!.objects.map((o) => o.id), [7, 9], 'the scene as last analysed');
    assert.deepEqual(keptAlive.at(-1)!.objects, [], 'an empty scene once the last analysis is stale (staleSeconds)');
    // SetSynchronizationPoint: a new document at once.
    const syncFrom = c.frames.length;
    streamer.synchronize('gate');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(c.frames.slice(syncFrom).some((f) => f.channel === 2 && rtp(f.data).marker), 'a whole document right after the synchronisation point');
    assert.throws(() => streamer.synchronize('nope'), CameraStreamUnknownError);
    publisher = setInterval(publishNow, 100);
  });

  it('vigie serves each online camera at /cameras/<id> on server.rtspPort for server.users, and streams the frames it is given', async (t) => {
    const dir = await tempDir(t);
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0, users: [{ username: 'vms', password: 'vms-password' }] },
      store: { path: join(dir, 'state.db') },
      cameras: [{ id: 'dock', name: 'Dock', rtsp: withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Camera-pw') }],
    });
    const vigie = await startVigie({ config, logger: silentLogger(), configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    assert.deepEqual(vigie.metadata.cameras().map((c) => c.path), ['/cameras/dock']);
    const timer = setInterval(() => vigie.metadata.publish({ cameraId: 'dock', sequence: 1, captureTime: Date.now(), width: 768, height: 576, tracks: tracksOf(3), events: [] }), 100);
    t.after(() => clearInterval(timer));
    const dockUrl = `rtsp://vms:vms-password@127.0.0.1:${vigie.metadata.port}/cameras/dock`;
    const [probe, data] = await Promise.all([
      run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', dockUrl], { timeoutMs: 40_000 }),
      run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', dockUrl, '-map', '0:d', '-c', 'copy', '-frames:d', '10', '-f', 'data', '-'], { timeoutMs: 40_000 }),
    ]);
    assert.deepEqual(probe.stdout.trim().split('\n'), ['video', 'data'], probe.stderr);
    const docs = splitDocuments(data.stdout).map(readDocument);
    assert.ok(docs.length >= 2, data.stderr);
    assert.deepEqual(docs[0]!.objects.map((o) => o.id), [7, 9]);
    const metrics = await (await fetch(`http://127.0.0.1:${vigie.http.port}/metrics`)).text();
    assert.match(metrics, /vigie_metadata_documents_total\{[^}]*camera="dock"[^}]*\} [1-9]/);
    const refused = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', dockUrl.replace('vms-password', 'guess')], { timeoutMs: 20_000 });
    assert.match(refused.stderr, /401 Unauthorized/);
  });

  it('the ONVIF device hands out the stream URI of the metadata track, whose configuration the device decides', async (t) => {
    const tr2 = xmlNamespace('tr2', NS.tr2);
    const dir = await tempDir(t);
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0, users: [{ username: 'vms', password: 'vms-password', role: 'operator' }] },
      store: { path: join(dir, 'state.db') },
      device: { enabled: true, announce: false },
      cameras: [{ id: 'dock', name: 'Dock', rtsp: withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Camera-pw') }],
    });
    const vigie = await startVigie({ config, logger: silentLogger(), configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    const auth = { auth: 'digest' as const, user: 'vms', password: 'vms-password' };
    const uri = await soapCall(`http://127.0.0.1:${vigie.http.port}/onvif/media2_service`, tr2('GetStreamUri', [tr2('Protocol', 'RTSP'), tr2('ProfileToken', 'profile_dock')]), auth);
    assert.equal(uri.status, 200, uri.text);
    const streamUri = /<tr2:Uri>([^<]+)<\/tr2:Uri>/.exec(uri.text)?.[1];
    assert.equal(streamUri, `rtsp://127.0.0.1:${vigie.metadata.port}/cameras/dock`, 'the bound RTSP port and the camera path');
    // The device's default metadata configuration: analytics on, no Events element (no events in the stream).
    assert.deepEqual(vigie.metadata.metadataOptions('dock'), { analytics: true, events: false });
    const sync = await soapCall(`http://127.0.0.1:${vigie.http.port}/onvif/media2_service`, tr2('SetSynchronizationPoint', tr2('ProfileToken', 'profile_dock')), auth);
    assert.equal(sync.status, 200, sync.text);
  });

  it('answers 503 for a camera that cannot be reached, logs why without its password, and keeps serving', async (t) => {
    const logs = captureLogs('info');
    const dead = createMetadataStreamer({ host: '127.0.0.1', port: 0, logger: logs.logger, describeTimeoutMs: 5000 });
    await dead.addCamera({ cameraId: 'down', name: 'Down', url: 'rtsp://admin:Secret-pw@127.0.0.1:9/stream' });
    const { port } = await dead.start();
    t.after(() => dead.stop());
    const c = await RawRtspClient.open(port);
    t.after(() => c.close());
    const reply = await c.request('DESCRIBE', `rtsp://127.0.0.1:${port}/cameras/down`);
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('retry-after')?.[0], '5');
    assert.match(logs.text(), /video source failed/);
    assert.doesNotMatch(logs.text(), /Secret-pw/);
    assert.equal((await c.request('OPTIONS', `rtsp://127.0.0.1:${port}/cameras/down`)).status, 200, 'the server still answers');
  });

  it('pulls the camera only while clients watch, and stops serving a removed camera', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // lingerSeconds 1: the passthrough of the earlier tests stops
    assert.equal(sim.rtspSessions()[0], 0, 'no client, no pull from the camera');
    await streamer.removeCamera('gate');
    const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', url], { timeoutMs: 20_000 });
    assert.notEqual(probe.code, 0);
    assert.match(probe.stderr, /404 Not Found/);
  });
});
