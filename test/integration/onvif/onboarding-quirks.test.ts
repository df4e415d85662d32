import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadVendorProfiles, onboardDevice } from '../../../src/onvif/index.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptionsInput } from '../../../src/simulator/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';

const PASSWORD = 'Quirk-pw-3';
const vendors = loadVendorProfiles();

const QUIRKS: Record<string, Partial<SimulatorOptionsInput>> = {
  // Panasonic/Vivotek: the clock needs credentials; WS-UsernameToken only; the camera runs an hour ahead.
  sdtNeedsAuth: { auth: 'wsse', quirks: ['sdt-needs-auth'], clockOffsetSeconds: 3600 },
  // A camera that gives only its local time, in UTC+8, 20 minutes behind.
  noUtc: { auth: 'wsse', quirks: ['no-utc-datetime'], clockOffsetSeconds: -1200 },
  noMedia2: { auth: 'both', quirks: ['no-media2'] },
  noGetServices: { auth: 'digest', quirks: ['no-get-services'] },
};

describe('onboarding cameras with vendor quirks (simulated)', { concurrency: true }, () => {
  const sims: Record<string, SimulatorHandle> = {};
  before(async () => {
    const entries = await Promise.all(
      Object.entries(QUIRKS).map(async ([name, options]) => [name, await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: PASSWORD, ...options })] as const),
    );
    for (const [name, sim] of entries) sims[name] = sim;
  });
  after(() => Promise.all(Object.values(sims).map((s) => s.stop())));

  const onboard = (name: string, password = PASSWORD) => {
    const camera = sims[name]!.cameras[0]!;
    const { logger, text } = captureLogs();
    return { camera, text, report: onboardDevice({ url: new URL(camera.deviceServiceUrl), credentials: { username: 'admin', password }, logger, vendors }) };
  };

  it('GetSystemDateAndTime needing credentials: the HTTP Date header stamps the first token, then the authenticated clock is read', async () => {
    const { report, camera, text } = onboard('sdtNeedsAuth');
    const r = await report;
    assert.equal(r.auth.mode, 'ws-security');
    assert.equal(r.clock.source, 'UTCDateTime');
    assert.ok(Math.abs(r.clock.offsetMs! - 3_600_000) < 5000, `offset ${r.clock.offsetMs}`);
    assert.equal(r.chosen?.profile.streamUri, camera.rtsp.main);
    assert.doesNotMatch(text(), new RegExp(PASSWORD), 'the password is never logged');
  });

  it('no UTCDateTime: UTC is derived from LocalDateTime and the POSIX time zone CST-8', async () => {
    const r = await onboard('noUtc').report;
    assert.equal(r.clock.source, 'LocalDateTime');
    assert.equal(r.clock.timeZone, 'CST-8');
    assert.ok(Math.abs(r.clock.offsetMs! + 1_200_000) < 5000, `offset ${r.clock.offsetMs}`);
    assert.equal(r.auth.mode, 'ws-security');
    assert.ok(r.notes.some((n) => /no UTCDateTime: derived from LocalDateTime and time zone CST-8/.test(n)), r.notes.join('\n'));
  });

  it('no Media2 service: the profiles come from Media (ver10), with the same streams', async () => {
    const { report, camera } = onboard('noMedia2');
    const r = await report;
    assert.equal(r.media, 'media1');
    assert.equal(r.services.media2, undefined);
    assert.deepEqual(
      r.profiles.map((p) => [p.token, p.encoding, p.width, p.height, p.streamUri, p.snapshotUri]),
      [
        ['profile_main', 'H264', 768, 576, camera.rtsp.main, camera.snapshot.main],
        ['profile_sub', 'H264', 384, 288, camera.rtsp.sub, camera.snapshot.sub],
      ],
    );
  });

  it('GetServices not implemented: the services come from GetCapabilities (no Media2 there), HTTP Digest', async () => {
    const r = await onboard('noGetServices').report;
    assert.equal(r.services.from, 'GetCapabilities');
    assert.equal(r.media, 'media1');
    assert.equal(r.auth.mode, 'http-digest');
    assert.equal(r.chosen?.profile.token, 'profile_main');
    assert.ok(r.notes.some((n) => /GetServices failed \(GetServices is not supported\): services read with GetCapabilities/.test(n)), r.notes.join('\n'));
  });

  it('a wrong password on the camera whose clock needs credentials: ONVIF_AUTH_FAILED, not a clock error', async () => {
    await assert.rejects(onboard('sdtNeedsAuth', 'nope').report, (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ONVIF_AUTH_FAILED', error.message);
      return true;
    });
  });
});
