import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SinkAuthError, SinkConfigError } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { GenetecWebSdk } from '../../../test/support/standins/genetec-web-sdk.js';
import plugin from '../index.js';

const CAMERA = '8a2b3c4d-1111-4222-8333-944455556666';
const ALARM = '0f0e0d0c-aaaa-4bbb-8ccc-dddddddddddd';
const CREDENTIALS = { username: 'vigie', applicationId: 'KxsD11z743Hf5Gq9mv3+5ekxzemlCiUXkTFY5ba1NOGcLCmGstt2n0zYE9NsNimv', password: 'S3cret-pass!' };

async function standIn() {
  return new GenetecWebSdk(CREDENTIALS, new Set([5000, 5001]), new Set([CAMERA]), new Set([ALARM])).start();
}

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn() {
    const sdk = await standIn();
    return {
      config: { url: sdk.url, ...CREDENTIALS, customEventId: 5000, cameraGuids: { entrance: CAMERA } },
      accepted: () => sdk.raised.length,
      contacts: () => sdk.requests,
      close: () => sdk.close(),
    };
  },
  unreachable: (config, port) => ({ ...config, url: `http://127.0.0.1:${port}/WebSdk` }),
  secrets: (config) => [String(config.password)],
});

describe('Genetec Web SDK wire format', () => {
  async function deliver(sdk: GenetecWebSdk, config: Record<string, unknown>, event = makeEvent()) {
    const { context, close } = pluginTestContext({ type: 'genetec' });
    try {
      const sink = plugin.createSink(plugin.configSchema.parse({ url: sdk.url, ...CREDENTIALS, cameraGuids: { entrance: CAMERA }, ...config }), context);
      return await sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline() });
    } finally {
      close();
    }
  }

  it('raises the custom event on the camera GUID with the message, authenticating as "user;AppId"', async (t) => {
    const sdk = await standIn();
    t.after(() => sdk.close());
    await deliver(sdk, { customEventId: 5000, customEventIds: { weapon: 5001 }, message: '{title}: {message} / {cameraName}' });
    await deliver(sdk, { customEventId: 5000, customEventIds: { weapon: 5001 } }, makeEvent({ type: 'weapon', message: 'knife' }));
    assert.deepEqual(sdk.raised, [
      { id: 5000, source: CAMERA, message: 'Intrusion in a forbidden zone: Intrusion in a forbidden zone: 1 person / Main entrance' },
      { id: 5001, source: CAMERA, message: 'Weapon on Main entrance: knife' },
    ]);
  });

  it('triggers an Alarm entity in alarm mode', async (t) => {
    const sdk = await standIn();
    t.after(() => sdk.close());
    await deliver(sdk, { mode: 'alarm', alarmGuid: ALARM });
    assert.deepEqual(sdk.alarms, [{ alarm: ALARM, source: CAMERA }]);
  });

  it('wrong credentials: an authentication error that names the settings and the SDK privilege', async (t) => {
    const sdk = await standIn();
    t.after(() => sdk.close());
    await assert.rejects(deliver(sdk, { customEventId: 5000, password: 'wrong' }), (e: unknown) => {
      assert.ok(e instanceof SinkAuthError);
      assert.match(e.message, /HTTP 401/);
      assert.match(e.hint ?? '', /outputs\[0\]\.username, password and applicationId.*Log on using the SDK/);
      return true;
    });
  });

  it('an undefined custom event or an unmapped camera is a configuration error, not success', async (t) => {
    const sdk = await standIn();
    t.after(() => sdk.close());
    await assert.rejects(deliver(sdk, { customEventId: 4242 }), (e: unknown) => e instanceof SinkConfigError && /Custom event 4242 does not exist/.test(e.message));
    await assert.rejects(deliver(sdk, { customEventId: 5000 }, makeEvent({ cameraId: 'unmapped' })), (e: unknown) => e instanceof SinkConfigError && /cameraGuids/.test(e.hint ?? ''));
    assert.equal(sdk.raised.length, 0);
  });

  it('checks the camera GUIDs and credentials without raising anything', async (t) => {
    const sdk = await standIn();
    t.after(() => sdk.close());
    const { context, close } = pluginTestContext({ type: 'genetec' });
    t.after(close);
    const sink = plugin.createSink(plugin.configSchema.parse({ url: sdk.url, ...CREDENTIALS, customEventId: 5000, cameraGuids: { entrance: CAMERA, gate: '11111111-2222-4333-8444-555555555555' } }), context);
    await assert.rejects(sink.check!(deadline()), /camera gate \(11111111-2222-4333-8444-555555555555\)\) refused: Fail.*Unknown entity/);
    assert.equal(sdk.raised.length, 0);
  });

  it('configuration: custom-event mode needs an id, alarm mode a GUID, GUIDs are checked', () => {
    const r = plugin.configSchema.safeParse({ url: 'https://gsc:4590/WebSdk', username: 'u', applicationId: 'a', mode: 'alarm', cameraGuids: { hall: 'not-a-guid' } });
    assert.equal(r.success, false);
    const paths = r.error.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('alarmGuid') && paths.includes('cameraGuids.hall'), paths.join());
  });
});
