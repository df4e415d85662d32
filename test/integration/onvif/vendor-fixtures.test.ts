import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadVendorProfiles, onboardDevice } from '../../../src/onvif/index.js';
import { runVigie } from '../../support/cli.js';
import { captureLogs } from '../../support/log-capture.js';
import { FIXTURES_DIR, fixtureNames, readFixtureCamera, startFixtureServer } from '../../support/onvif-fixture-server.js';
import { validateDocuments } from '../../support/schemas.js';
import { tempDir } from '../../support/temp.js';
import { readFile } from 'node:fs/promises';

const vendors = loadVendorProfiles();
const names = await fixtureNames();

describe('vendor profiles and their recorded cameras', { concurrency: true }, () => {
  it('every recorded answer validates against the official ONVIF schemas', async (t) => {
    const documents: Record<string, string> = {};
    for (const name of names) {
      for (const file of (await readdir(join(FIXTURES_DIR, name))).filter((f) => f.endsWith('.xml'))) documents[`${name}__${file}`] = await readFile(join(FIXTURES_DIR, name, file), 'utf8');
    }
    assert.ok(Object.keys(documents).length > 50);
    const result = await validateDocuments('soap', await tempDir(t), documents);
    assert.ok(result.ok, result.output.split('\n').filter((l) => !l.endsWith('validates')).join('\n'));
  });

  it('every fixture folder belongs to a vendor profile, and every listed fixture exists', () => {
    const listed = vendors.all.flatMap((v) => v.fixtures);
    assert.deepEqual([...listed].sort(), names);
  });

  for (const name of names) {
    it(`${name}: onboarded as its vendor profile and the recorded behaviour require`, async () => {
      const server = await startFixtureServer(name);
      try {
        const { camera } = server;
        const expect = camera.expect;
        const { logger, text } = captureLogs();
        const run = onboardDevice({ url: new URL(server.url), credentials: { username: camera.user, password: camera.password }, logger, vendors });
        if (expect.error) {
          await assert.rejects(run, (error: Error & { code?: string }) => {
            assert.equal(error.code, expect.error, error.message);
            if (expect.errorMessage) assert.match(error.message, new RegExp(expect.errorMessage));
            assert.ok(error.message.includes(server.url), 'names the device');
            return true;
          });
          const failures = server.requests.filter((r) => r !== 'GetSystemDateAndTime' && r !== 'GetServices').length;
          assert.ok(failures <= 4, `a refused camera is not hammered (lockouts): ${server.requests.join(', ')}`);
          return;
        }
        const report = await run;
        assert.equal(report.vendor.id, expect.vendor);
        if (expect.auth) assert.equal(report.auth.mode, expect.auth);
        if (expect.digestAlgorithm) assert.equal(report.auth.digestAlgorithm, expect.digestAlgorithm);
        if (expect.clockSource) assert.equal(report.clock.source, expect.clockSource);
        const cameraOffset = Date.parse(camera.clock) - Date.now();
        assert.ok(Math.abs(report.clock.offsetMs! - cameraOffset) < 10_000, `clock offset ${report.clock.offsetMs} ms, camera ${cameraOffset} ms`);
        if (expect.media) assert.equal(report.media, expect.media);
        assert.equal(report.chosen?.profile.token, expect.analyse, `chosen: ${report.chosen?.reason}`);
        const streams = Object.fromEntries(report.profiles.filter((p) => p.streamUri).map((p) => [p.token, p.streamUri]));
        const wanted = Object.fromEntries(Object.entries(expect.streams).map(([k, v]) => [k, new URL(v.replace('{host}', server.host)).href]));
        assert.deepEqual(streams, wanted);
        for (const note of expect.notes) assert.ok(report.notes.some((n) => new RegExp(note).test(n)), `a note matching /${note}/ in:\n${report.notes.join('\n')}`);
        for (const url of [report.services.device, report.services.media, report.services.media2, report.services.events].filter((u) => u !== undefined)) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//, 'services are reached where the camera answered');
        assert.doesNotMatch(text(), new RegExp(camera.password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the password never reaches the log');
      } finally {
        await server.stop();
      }
    });
  }

  it('without its vendor profile, the D-Link still works: the Media2 fault makes Vigie fall back to Media (ver10)', async () => {
    const server = await startFixtureServer('dlink');
    try {
      const report = await onboardDevice({ url: new URL(server.url), credentials: { username: server.camera.user, password: server.camera.password }, logger: captureLogs().logger });
      assert.equal(report.vendor.id, '_default');
      assert.equal(report.media, 'media1');
      assert.ok(report.notes.some((n) => /^Media2 GetProfiles failed \(answered GetProfiles with SOAP fault MustUnderstand \(HTTP 500\): SOAP header Security was not understood\): using Media \(ver10\)$/.test(n)), report.notes.join('\n'));
      assert.ok(server.requests.includes('GetProfiles'), 'Media2 was tried first');
      assert.equal(report.chosen?.profile.token, 'Profile_2');
    } finally {
      await server.stop();
    }
  });

  it('vigie probe on the recorded Hikvision: the vendor profile, SHA-256 Digest, the sub stream for 416x416', async () => {
    const server = await startFixtureServer('hikvision');
    try {
      const result = await runVigie(['probe', server.url, '--user', server.camera.user, '--password', server.camera.password]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^identity {2}HIKVISION DS-2CD2143G2-I; firmware V5\.7\.3 build 220112; serial DS-2CD2143G2-I20220315AAWRJ12345678; hardware 88$/m);
      assert.match(result.stdout, /^vendor {4}hikvision: Hikvision cameras/m);
      assert.match(result.stdout, /^auth {6}HTTP Digest \(SHA-256\) as onvif-user$/m);
      assert.match(result.stdout, /^clock {5}camera -\d+\.\d s \(\d+ d \d+ h \d+ min behind\) from this machine \(UTCDateTime, Manual, TZ CST-8:00:00\)$/m);
      assert.match(result.stdout, /^analyse {3}Profile_2: the smallest stream at or above the model input 416x416 \(640x360\)$/m);
    } finally {
      await server.stop();
    }
  });

  it('a camera file that is not valid is refused with the file and the problem', async (t) => {
    const { writeFile } = await import('node:fs/promises');
    const dir = await tempDir(t);
    await writeFile(join(dir, '_default.yaml'), 'vendor: _default\ntitle: x\n');
    await writeFile(join(dir, 'acme.yaml'), 'vendor: acme\ntitle: Acme\nmedia2: sometimes\n');
    assert.throws(() => loadVendorProfiles(dir), /VENDOR_PROFILE_INVALID|vendor profile .*acme\.yaml: media2: Invalid option/);
    const camera = await readFixtureCamera('axis');
    assert.equal(camera.auth, 'both');
  });
});
