import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { NS, parseSoapEnvelope, xmlNamespace } from '../../../src/soap/index.js';
import { agsh, connectAgsh, type AgshCam } from '../../support/onvif-npm-client.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { digestGet, soapCall } from '../../support/soap-client.js';
import { tempDir } from '../../support/temp.js';

const tds = xmlNamespace('tds', NS.tds);

async function readEverything(cam: AgshCam) {
  const info = await agsh<Record<string, string>>((cb) => cam.getDeviceInformation(cb));
  const main = await agsh<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_main' }, cb));
  const sub = await agsh<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_sub' }, cb));
  const snapshot = await agsh<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: 'profile_main' }, cb));
  return { info, main: main.uri, sub: sub.uri, snapshot: snapshot.uri };
}

describe('the npm onvif client against simulated cameras', { concurrency: true }, () => {
  const sims: Record<string, SimulatorHandle> = {};
  before(async () => {
    const common = { video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'Secret-1' };
    const [both, digest, wsseAhead, wsseBehind] = await Promise.all([
      startSimulator({ ...common, auth: 'both' }),
      startSimulator({ ...common, auth: 'digest', digestAlgorithms: ['MD5', 'SHA-256'] }),
      startSimulator({ ...common, auth: 'wsse', clockOffsetSeconds: 3600 }),
      startSimulator({ ...common, auth: 'wsse', clockOffsetSeconds: -3600 }),
    ]);
    Object.assign(sims, { both, digest, wsseAhead, wsseBehind });
  });
  after(() => Promise.all(Object.values(sims).map((s) => s.stop())));

  it('reads device information, both profiles, stream and snapshot URIs (auth both, WS-Security)', async (t) => {
    const camera = sims.both!.cameras[0]!;
    const cam = await connectAgsh({ url: camera.deviceServiceUrl, username: 'admin', password: 'Secret-1' });
    assert.ok(cam.media2Support, 'Media2 is advertised and used');
    assert.deepEqual(
      cam.profiles.map((p) => [p.$.token, p.videoEncoderConfiguration?.resolution?.width, p.videoEncoderConfiguration?.resolution?.height]),
      [
        ['profile_main', 768, 576],
        ['profile_sub', 384, 288],
      ],
    );
    const read = await readEverything(cam);
    assert.equal(read.info.manufacturer, 'Vigie');
    assert.match(read.info.serialNumber!, /^VSIM-/);
    assert.equal(read.main, camera.rtsp.main);
    assert.equal(read.sub, camera.rtsp.sub);
    assert.equal(read.snapshot, camera.snapshot.main);

    // The snapshot URI serves a JPEG of the current frame, at the main stream's size, behind Digest.
    assert.equal((await digestGet(read.snapshot, 'admin', 'wrong')).status, 401);
    const jpeg = await digestGet(read.snapshot, 'admin', 'Secret-1');
    assert.equal(jpeg.status, 200, jpeg.text);
    assert.equal(jpeg.headers['content-type'], 'image/jpeg');
    assert.deepEqual([...jpeg.body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const file = join(await tempDir(t), 'snapshot.jpg');
    await writeFile(file, jpeg.body);
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file]);
    assert.equal(probe.stdout.trim(), 'mjpeg,768,576');
  });

  it('gets an authentication error with a wrong password (auth both)', async () => {
    const cam = await connectAgsh({ url: sims.both!.cameras[0]!.deviceServiceUrl, username: 'admin', password: 'wrong' });
    await assert.rejects(agsh((cb) => cam.getDeviceInformation(cb)), /Sender not authorized/);
    const stranger = await connectAgsh({ url: sims.both!.cameras[0]!.deviceServiceUrl, username: 'intruder', password: 'Secret-1' });
    await assert.rejects(agsh((cb) => stranger.getDeviceInformation(cb)), /Sender not authorized/);
  });

  it('works with HTTP Digest only, with and without a WS-Security header, and refuses a wrong password', async () => {
    const url = sims.digest!.cameras[0]!.deviceServiceUrl;
    for (const useWSSecurity of [false, true]) {
      const cam = await connectAgsh({ url, username: 'admin', password: 'Secret-1', useWSSecurity });
      assert.equal(cam.profiles.length, 2);
      assert.equal((await readEverything(cam)).info.model, 'Simulated camera');
      const bad = await connectAgsh({ url, username: 'admin', password: 'wrong', useWSSecurity });
      await assert.rejects(agsh((cb) => bad.getDeviceInformation(cb)), /Digest authentication failed 401/);
    }
    // A call without credentials gets 401 with one challenge per algorithm (MD5 and SHA-256, as recent Hikvision).
    const challenge = await soapCall(url, tds('GetDeviceInformation'));
    assert.equal(challenge.status, 401);
    assert.deepEqual(
      challenge.rawHeaders.filter((_h, i, a) => i % 2 === 1 && a[i - 1]!.toLowerCase() === 'www-authenticate').map((v) => /algorithm=([\w-]+)/.exec(v)?.[1]),
      ['MD5', 'SHA-256'],
    );
  });

  for (const [name, offset] of [
    ['wsseAhead', 3600],
    ['wsseBehind', -3600],
  ] as const) {
    it(`WS-UsernameToken only, camera clock ${offset > 0 ? '+' : '-'}1 h: the client syncs its clock and gets in; stale tokens are refused`, async () => {
      const url = sims[name]!.cameras[0]!.deviceServiceUrl;
      const cam = await connectAgsh({ url, username: 'admin', password: 'Secret-1' });
      const read = await readEverything(cam);
      assert.equal(read.info.manufacturer, 'Vigie');
      const date = await agsh<Date>((cb) => cam.getSystemDateAndTime(cb));
      assert.ok(Math.abs(date.getTime() - (Date.now() + offset * 1000)) < 120_000, `the camera reports its own clock (${date.toISOString()})`);

      // A token stamped with this machine's clock is an hour off for the camera: refused with NotAuthorized, HTTP 400.
      const naive = await soapCall(url, tds('GetDeviceInformation'), { auth: 'wsse', password: 'Secret-1' });
      assert.equal(naive.status, 400);
      assert.match(naive.text, /ter:NotAuthorized/);
      const synced = await soapCall(url, tds('GetDeviceInformation'), { auth: 'wsse', password: 'Secret-1', clockOffsetMs: offset * 1000 });
      assert.equal(synced.status, 200);
      // No credentials at all: a UsernameToken-only camera answers 400 + NotAuthorized, not a Digest challenge.
      const anonymous = await soapCall(url, tds('GetDeviceInformation'));
      assert.equal(anonymous.status, 400);
      assert.equal(anonymous.headers['www-authenticate'], undefined);
      assert.ok(parseSoapEnvelope(anonymous.text).body.child(NS.soap, 'Fault'));

      const bad = await connectAgsh({ url, username: 'admin', password: 'wrong' });
      await assert.rejects(agsh((cb) => bad.getDeviceInformation(cb)), /Sender not authorized/);
    });
  }
});
