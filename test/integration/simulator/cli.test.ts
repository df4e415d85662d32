import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NS, xmlNamespace } from '../../../src/soap/index.js';
import { collect, runVigie, spawnVigie, waitForOutput } from '../../support/cli.js';
import { listenMulticast } from '../../support/discovery-listener.js';
import { SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { soapCall } from '../../support/soap-client.js';

const tds = xmlNamespace('tds', NS.tds);

describe('vigie simulate', () => {
  it('prints one JSON line per camera, serves them, and on SIGTERM says Bye and exits 0', async (t) => {
    const listener = await listenMulticast();
    t.after(() => listener.close());
    // No --video: the sample clip of the asset directory is used.
    const child = spawnVigie(['simulate', '--cameras', '2', '--http-port', '0', '--rtsp-port', '0', '--password', 'cli-pw', '--json', '--cache-dir', SIMULATOR_CACHE], { env: { VIGIE_ASSET_DIR: SHARED_ASSETS } });
    t.after(() => child.kill('SIGKILL'));
    const exited = collect(child, 60_000);
    // stdout (the camera lines) and stderr (the logs) are separate pipes: wait for the last camera line itself.
    const out = await waitForOutput(child, /\{"index":2,[^\n]*\n/, 45_000);
    const cameras = out
      .split('\n')
      .filter((l) => l.startsWith('{"index"'))
      .map((l) => JSON.parse(l) as { index: number; deviceServiceUrl: string; rtsp: { main: string; sub: string }; endpointReference: string });
    assert.deepEqual(cameras.map((c) => c.index), [1, 2]);
    for (const c of cameras) {
      assert.match(c.deviceServiceUrl, /^http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service$/);
      assert.match(c.rtsp.main, /^rtsp:\/\/127\.0\.0\.1:\d+\/main$/);
      assert.match(c.rtsp.sub, /^rtsp:\/\/127\.0\.0\.1:\d+\/sub$/);
      assert.match(c.endpointReference, /^urn:uuid:[0-9a-f-]{36}$/);
    }
    const info = await soapCall(cameras[1]!.deviceServiceUrl, tds('GetDeviceInformation'), { auth: 'digest', password: 'cli-pw' });
    assert.equal(info.status, 200);
    assert.match(info.text, /<tds:Manufacturer>Vigie<\/tds:Manufacturer>/);

    child.kill('SIGTERM');
    const result = await exited;
    assert.equal(result.code, 0, result.stderr);
    await new Promise((r) => setTimeout(r, 200));
    const byes = listener.received.filter((d) => d.message?.kind === 'bye').map((d) => (d.message?.kind === 'bye' ? d.message.endpoint : ''));
    for (const c of cameras) assert.ok(byes.includes(c.endpointReference), `Bye from camera ${c.index}`);
  });

  it('prints a text line per camera by default', async (t) => {
    const child = spawnVigie(['simulate', '--video', `${SHARED_ASSETS}/video/vtest-h264.mp4`, '--http-port', '0', '--rtsp-port', '0', '--no-discovery', '--cache-dir', SIMULATOR_CACHE]);
    t.after(() => child.kill('SIGKILL'));
    const exited = collect(child, 60_000);
    const out = await waitForOutput(child, /^camera 1 .*\n/m, 45_000);
    assert.match(out, /^camera 1 {2}device http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service {2}main rtsp:\/\/127\.0\.0\.1:\d+\/main {2}sub rtsp:\/\/127\.0\.0\.1:\d+\/sub {2}endpoint urn:uuid:/m);
    child.kill('SIGINT');
    const result = await exited;
    assert.equal(result.code, 0, `${result.signal ?? ''} ${result.stderr}`);
  });

  it('refuses bad options and unusable files with the cause and the fix', async () => {
    const fault = await runVigie(['simulate', '--video', 'x.mp4', '--fault', 'explode']);
    assert.equal(fault.code, 1);
    assert.match(fault.stderr, /USAGE.*--fault "explode" is not one of none, soap-500, malformed-xml, slow:MS/);
    const missing = await runVigie(['simulate', '--video', '/nonexistent/clip.mp4', '--no-discovery']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /VIDEO_FILE_INVALID.*\/nonexistent\/clip\.mp4: the file does not exist or is not readable\n\s+fix: /);
    const notVideo = await runVigie(['simulate', '--video', `${SHARED_ASSETS}/models/yolox_nano.onnx`, '--no-discovery']);
    assert.equal(notVideo.code, 1);
    assert.match(notVideo.stderr, /VIDEO_FILE_INVALID/);
  });
});
