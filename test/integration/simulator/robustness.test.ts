import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { XmlRejectedError } from '../../../src/errors/index.js';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { NS, parseSoapEnvelope, parseSoapFault, xmlNamespace } from '../../../src/soap/index.js';
import { agsh, connectAgsh } from '../../support/onvif-npm-client.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { RawRtspClient } from '../../support/rtsp-client.js';
import { httpRequest, soapCall } from '../../support/soap-client.js';

const tds = xmlNamespace('tds', NS.tds);

function rawExchange(port: number, data: Buffer | string, thenDestroy = false): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(data);
      if (thenDestroy) s.destroy();
    });
    let got = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
  });
}

describe('simulated cameras under hostile and broken conditions', { concurrency: true }, () => {
  let sim: SimulatorHandle;
  before(async () => {
    sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false });
  });
  after(() => sim.stop());

  it('answers bad XML, DOCTYPE, huge bodies and non-HTTP bytes with errors, and keeps serving', async () => {
    const cam = sim.cameras[0]!;
    const fault = (text: string) => parseSoapFault(parseSoapEnvelope(text).body)!;
    const bad = await soapCall(cam.deviceServiceUrl, null, { raw: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetHostname/></s:Body></s:Envelope>' });
    assert.equal(bad.status, 400);
    assert.ok(fault(bad.text).hasSubcode('WellFormed'));
    const xxe = await soapCall(cam.deviceServiceUrl, null, { raw: '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s>&x;</s>' });
    assert.equal(xxe.status, 400);
    assert.doesNotMatch(xxe.text, /root:x:0/);
    const huge = await httpRequest(cam.deviceServiceUrl, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: Buffer.alloc(8 * 1024 * 1024, 0x20) }).catch((e: Error) => ({ status: -1, text: e.message }));
    assert.ok(huge.status === 413 || huge.status === -1, `a huge body is refused (${huge.status})`);
    assert.match(await rawExchange(cam.httpPort, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 13, 10, 13, 10])), /^HTTP\/1\.1 400/);
    await rawExchange(cam.httpPort, 'POST /onvif/device_service HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n<s:Envelope', true);
    const ok = await soapCall(cam.deviceServiceUrl, tds('GetSystemDateAndTime'));
    assert.equal(ok.status, 200);
  });

  it('closes RTSP connections that send garbage or vanish mid-stream, and keeps streaming to others', async () => {
    const cam = sim.cameras[0]!;
    assert.match(await rawExchange(cam.rtspPort, Buffer.from('\x00\x01garbage\xff\r\n\r\n', 'latin1')), /^RTSP\/1\.0 400/);
    // An HTTP request on the RTSP port is taken as RTSP over HTTP: without a session cookie it is refused with the reason.
    assert.match(await rawExchange(cam.rtspPort, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.0 400[^]*x-sessioncookie/);
    assert.match(await rawExchange(cam.rtspPort, 'OPTIONS * HTTP/1.1\r\nCSeq: 1\r\n\r\n'), /^RTSP\/1\.0 505/);
    // An ffmpeg reader killed while it plays: its session ends and the camera serves the next client.
    const url = new URL(cam.rtsp.main);
    url.username = 'admin';
    url.password = 'admin';
    const reader = spawn('ffmpeg', ['-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url.href, '-f', 'null', '-'], { stdio: 'ignore' });
    const until = Date.now() + 15_000;
    while (sim.rtspSessions()[0] === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sim.rtspSessions()[0], 1);
    await new Promise((r) => setTimeout(r, 1000));
    reader.kill('SIGKILL');
    const gone = Date.now() + 10_000;
    while (sim.rtspSessions()[0]! > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sim.rtspSessions()[0], 0, 'the session of the vanished client is released');
    const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', url.href], { timeoutMs: 30_000 });
    assert.equal(probe.stdout.trim(), 'h264', probe.stderr);
  });
});

describe('fault injection (--fault) and stream drops (--drop-after)', { concurrency: true }, () => {
  const sims: Record<string, SimulatorHandle> = {};
  before(async () => {
    const common = { video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false };
    const [soap500, malformed, slow, drop] = await Promise.all([
      startSimulator({ ...common, fault: { kind: 'soap-500' } }),
      startSimulator({ ...common, fault: { kind: 'malformed-xml' } }),
      startSimulator({ ...common, fault: { kind: 'slow', delayMs: 400 } }),
      startSimulator({ ...common, dropAfterSeconds: 2.5 }),
    ]);
    Object.assign(sims, { soap500, malformed, slow, drop });
  });
  after(() => Promise.all(Object.values(sims).map((s) => s.stop())));

  it('soap-500: every call fails with HTTP 500 and a Receiver fault; the npm client reports it', async () => {
    const url = sims.soap500!.cameras[0]!.deviceServiceUrl;
    const res = await soapCall(url, tds('GetSystemDateAndTime'));
    assert.equal(res.status, 500);
    assert.equal(parseSoapFault(parseSoapEnvelope(res.text).body)?.faultCode, 'Receiver');
    await assert.rejects(connectAgsh({ url, username: 'admin', password: 'admin' }), /simulated device failure/);
  });

  it('malformed-xml: answers are not well-formed XML; a client sees a parse error', async () => {
    const url = sims.malformed!.cameras[0]!.deviceServiceUrl;
    const res = await soapCall(url, tds('GetSystemDateAndTime'));
    assert.equal(res.status, 200);
    assert.throws(() => parseSoapEnvelope(res.text), XmlRejectedError);
    await assert.rejects(connectAgsh({ url, username: 'admin', password: 'admin' }));
  });

  it('slow:MS: answers are held back that long, then arrive intact', async () => {
    const started = Date.now();
    const res = await soapCall(sims.slow!.cameras[0]!.deviceServiceUrl, tds('GetSystemDateAndTime'));
    assert.ok(Date.now() - started >= 400, 'held back at least the configured delay');
    assert.equal(res.status, 200);
    const cam = await connectAgsh({ url: sims.slow!.cameras[0]!.deviceServiceUrl, username: 'admin', password: 'admin' });
    assert.equal((await agsh<Record<string, string>>((cb) => cam.getDeviceInformation(cb))).manufacturer, 'Vigie');
  });

  it('drop-after: RTSP sessions end after the configured time and the client can reconnect', async () => {
    const port = sims.drop!.cameras[0]!.rtspPort;
    // The sub stream has a key frame every second, so a client gets pictures well before the drop.
    const url = sims.drop!.cameras[0]!.rtsp.sub;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const c = await RawRtspClient.open(port);
      await c.request('DESCRIBE', url, {}, { user: 'admin', password: 'admin' });
      const setup = await c.request('SETUP', `${url}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      await c.request('PLAY', `${url}/`, { Session: setup.headers.get('session')![0]!.split(';')[0]! });
      await c.waitFrames(0, 3);
      const until = Date.now() + 10_000;
      while (!c.closed && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.ok(c.closed, `attempt ${attempt + 1}: the camera dropped the stream`);
    }
  });
});
