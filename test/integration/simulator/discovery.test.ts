import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { ONVIF_TYPES } from '../../../src/discovery/index.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { listenMulticast, probeLoopback, type Datagram } from '../../support/discovery-listener.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { validateDocuments } from '../../support/schemas.js';
import { tempDir } from '../../support/temp.js';

const require = createRequire(import.meta.url);
const { Discovery } = require('onvif') as {
  Discovery: {
    probe(options: Record<string, unknown>, cb: (err: unknown, cams: Array<{ probeMatches: { probeMatch: { endpointReference: { address: string }; XAddrs: string } } }>) => void): void;
    on(event: 'error', listener: (e: unknown) => void): void;
  };
};

function from(datagrams: Datagram[], kind: string, endpoints: Set<string>): Datagram[] {
  return datagrams.filter((d) => d.message?.kind === kind && endpoints.has(d.message.kind === 'probeMatches' ? (d.message.matches[0]?.endpoint ?? '') : 'endpoint' in d.message ? d.message.endpoint : ''));
}

describe('WS-Discovery of simulated cameras on loopback', () => {
  it('says Hello on start, answers a loopback probe with every camera, says Bye on stop; all valid WS-Discovery', async (t) => {
    const listener = await listenMulticast();
    t.after(() => listener.close());
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 3, httpPort: 0, rtspPort: 0, discoveryReplyDelayMs: 200 });
    let stopped = false;
    t.after(() => (stopped ? undefined : sim.stop()));
    const endpoints = new Set(sim.cameras.map((c) => c.endpointReference));
    assert.equal(endpoints.size, 3, 'each camera has its own EndpointReference');

    const replies = await probeLoopback({ types: [ONVIF_TYPES.networkVideoTransmitter] });
    const ours = from(replies, 'probeMatches', endpoints);
    assert.deepEqual(new Set(ours.map((d) => (d.message?.kind === 'probeMatches' ? d.message.matches[0]!.endpoint : ''))), endpoints, 'all three cameras answered');
    for (const d of ours) {
      const match = d.message?.kind === 'probeMatches' ? d.message.matches[0]! : undefined;
      const camera = sim.cameras.find((c) => c.endpointReference === match?.endpoint)!;
      assert.deepEqual(match?.xaddrs, [camera.deviceServiceUrl]);
      assert.ok(match?.scopes.includes('onvif://www.onvif.org/Profile/Streaming'));
      assert.ok(match?.scopes.includes(`onvif://www.onvif.org/name/${encodeURIComponent(camera.name)}`));
      assert.deepEqual(match?.types.map((q) => q.local), ['NetworkVideoTransmitter', 'Device']);
    }

    const byDevice = await probeLoopback({ types: [ONVIF_TYPES.device], scopes: ['onvif://www.onvif.org/location/simulator'] });
    assert.equal(from(byDevice, 'probeMatches', endpoints).length, 3, 'tds:Device with the location scope matches too');
    const noMatch = await probeLoopback({ scopes: ['onvif://www.onvif.org/hardware/OtherModel'], waitMs: 800 });
    assert.equal(from(noMatch, 'probeMatches', endpoints).length, 0, 'a scope the cameras lack gets no answer');

    // A third-party prober (npm onvif, bound to lo) finds them as well.
    Discovery.on('error', () => undefined); // answers of other devices on the shared loopback group are not ours to judge
    const found = await new Promise<string[]>((resolve) =>
      Discovery.probe({ device: 'lo', timeout: 1500, resolve: false }, (_err, cams) => resolve(cams.map((c) => c.probeMatches.probeMatch.endpointReference.address))),
    );
    for (const e of endpoints) assert.ok(found.includes(e), `npm onvif found ${e}`);

    await sim.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 300));
    const hellos = from(listener.received, 'hello', endpoints);
    const byes = from(listener.received, 'bye', endpoints);
    assert.deepEqual(new Set(hellos.map((d) => (d.message?.kind === 'hello' ? d.message.endpoint : ''))), endpoints);
    assert.deepEqual(new Set(byes.map((d) => (d.message?.kind === 'bye' ? d.message.endpoint : ''))), endpoints);

    const documents: Record<string, string> = {};
    ours.forEach((d, i) => (documents[`probematches-${i}`] = d.xml));
    hellos.slice(0, 3).forEach((d, i) => (documents[`hello-${i}`] = d.xml));
    byes.slice(0, 3).forEach((d, i) => (documents[`bye-${i}`] = d.xml));
    const result = await validateDocuments('discovery', await tempDir(t), documents);
    assert.ok(result.ok, result.output);
    assert.equal(result.output.match(/validates/g)?.length, Object.keys(documents).length);
  });

  it('ignores garbage and hostile datagrams on port 3702 and keeps answering', async (t) => {
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discoveryReplyDelayMs: 50 });
    t.after(() => sim.stop());
    const { createSocket } = await import('node:dgram');
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    s.setMulticastInterface('127.0.0.1');
    const garbage = [Buffer.from([0, 1, 2, 3, 255]), Buffer.from('<not-xml'), Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), Buffer.alloc(60_000, 0x41)];
    for (const g of garbage) await new Promise<void>((r) => s.send(g, 3702, '239.255.255.250', () => r()));
    await new Promise<void>((r) => s.close(() => r()));
    const replies = await probeLoopback({ waitMs: 800 });
    assert.equal(from(replies, 'probeMatches', new Set([sim.cameras[0]!.endpointReference])).length, 1);
  });
});
