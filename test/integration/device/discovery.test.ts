import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { deviceSchema } from '../../../src/config/index.js';
import { createOnvifDevice } from '../../../src/device/index.js';
import { ONVIF_TYPES } from '../../../src/discovery/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { FakeDeviceBackend } from '../../support/device-backend.js';
import { listenMulticast, probeLoopback, type Datagram } from '../../support/discovery-listener.js';
import { validateDocuments } from '../../support/schemas.js';
import { tempDir } from '../../support/temp.js';

const require = createRequire(import.meta.url);
const { Discovery } = require('onvif') as {
  Discovery: {
    probe(options: Record<string, unknown>, cb: (err: unknown, cams: Array<{ probeMatches: { probeMatch: { endpointReference: { address: string }; XAddrs: string } } }>) => void): void;
    on(event: 'error', listener: (e: unknown) => void): void;
  };
};

function ours(datagrams: Datagram[], kind: string, endpoint: string): Datagram[] {
  return datagrams.filter((d) => d.message?.kind === kind && (d.message.kind === 'probeMatches' ? d.message.matches[0]?.endpoint : 'endpoint' in d.message ? d.message.endpoint : '') === endpoint);
}

describe('WS-Discovery presence of the ONVIF device (loopback)', () => {
  it('says Hello, answers probes for dn:NetworkVideoTransmitter and tds:Device with Profile M scopes, says Bye', async (t) => {
    const listener = await listenMulticast();
    t.after(() => listener.close());
    const device = createOnvifDevice({
      config: deviceSchema.parse({ enabled: true, interfaces: ['127.0.0.1'], identity: { name: 'Vigie rehearsal' } }),
      users: [],
      backend: new FakeDeviceBackend(),
      logger: silentLogger(),
    });
    await device.start({ httpPort: 18080 });
    let stopped = false;
    t.after(() => (stopped ? undefined : device.stop()));
    const endpoint = device.endpointReference;
    assert.match(endpoint, /^urn:uuid:[0-9a-f-]{36}$/);

    for (const type of [ONVIF_TYPES.networkVideoTransmitter, ONVIF_TYPES.device]) {
      const replies = ours(await probeLoopback({ types: [type], waitMs: 900 }), 'probeMatches', endpoint);
      assert.equal(replies.length, 1, `one answer to a ${type.local} probe`);
      const match = replies[0]!.message?.kind === 'probeMatches' ? replies[0]!.message.matches[0]! : undefined;
      assert.deepEqual(match?.xaddrs, ['http://127.0.0.1:18080/onvif/device_service']);
      assert.ok(match?.scopes.includes('onvif://www.onvif.org/Profile/M'));
      assert.ok(match?.scopes.includes('onvif://www.onvif.org/Profile/Streaming'));
      assert.ok(match?.scopes.includes('onvif://www.onvif.org/name/Vigie%20rehearsal'));
    }
    Discovery.on('error', () => undefined); // other devices on the shared loopback group are not ours to judge
    const found = await new Promise<string[]>((resolve) =>
      Discovery.probe({ device: 'lo', timeout: 1200, resolve: false }, (_err, cams) => resolve(cams.map((c) => c.probeMatches.probeMatch.endpointReference.address))),
    );
    assert.ok(found.includes(endpoint), 'the npm onvif client discovers Vigie');

    await device.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 300));
    const hello = ours(listener.received, 'hello', endpoint);
    const bye = ours(listener.received, 'bye', endpoint);
    assert.ok(hello.length >= 1, 'Hello sent');
    assert.ok(bye.length >= 1, 'Bye sent');
    const dir = await tempDir(t);
    const result = await validateDocuments('discovery', dir, { hello: hello[0]!.xml, bye: bye[0]!.xml });
    assert.ok(result.ok, result.output);
  });
});
