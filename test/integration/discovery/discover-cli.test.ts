import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { runVigie } from '../../support/cli.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { freeUdpPort } from '../../support/udp.js';

interface Line {
  address: string;
  endpointReference: string;
  xaddr: string;
  xaddrs: string[];
  name: string;
  hardware: string;
  location: string;
  profiles: string[];
  via: string;
}

function parseLines(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);
}

describe('vigie discover', { concurrency: true }, () => {
  let eight: SimulatorHandle;
  let privatePort: number;
  let apart: SimulatorHandle;
  before(async () => {
    privatePort = await freeUdpPort();
    [eight, apart] = await Promise.all([
      // On the standard port 3702, joined and sent on 127.0.0.1 only. Other programs may answer too: the test
      // looks for the EndpointReferences of its own cameras.
      startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 8, httpPort: 0, rtspPort: 0, location: 'discover-test' }),
      startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 2, httpPort: 0, rtspPort: 0, discoveryPort: privatePort, namePrefix: 'Unicast camera' }),
    ]);
  });
  after(() => Promise.all([eight.stop(), apart.stop()]));

  it('lists all 8 simulated cameras on loopback with their device service XAddrs within a 3 s probe', async () => {
    const result = await runVigie(['discover', '--interface', '127.0.0.1', '--json', '--timeout', '3']);
    assert.equal(result.code, 0, result.stderr);
    const lines = parseLines(result.stdout);
    const ours = new Map(eight.cameras.map((c) => [c.endpointReference, c]));
    const found = lines.filter((l) => ours.has(l.endpointReference));
    assert.equal(found.length, 8, `found ${found.length} of 8:\n${result.stdout}\n${result.stderr}`);
    assert.equal(new Set(found.map((l) => l.endpointReference)).size, 8, 'one line per EndpointReference, although every camera answered two probes');
    for (const line of found) {
      const camera = ours.get(line.endpointReference)!;
      assert.equal(line.xaddr, camera.deviceServiceUrl);
      assert.deepEqual(line.xaddrs, [camera.deviceServiceUrl]);
      assert.equal(line.address, '127.0.0.1');
      assert.equal(line.name, camera.name);
      assert.equal(line.hardware, 'VSIM-1');
      assert.equal(line.location, 'discover-test');
      assert.deepEqual(line.profiles, ['Streaming']);
      assert.equal(line.via, 'multicast');
    }
    assert.match(result.stderr, /probing multicast on 127\.0\.0\.1 for 3 s/);
    assert.match(result.stderr, /device\(s\) found in 3\.\d s/);
  });

  it('prints a table with address, name, hardware, location, profiles, XAddr and EndpointReference', async () => {
    const result = await runVigie(['discover', '--interface', 'lo', '--timeout', '2', '--scope', 'onvif://www.onvif.org/location/discover-test']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ADDRESS\s+NAME\s+HARDWARE\s+LOCATION\s+PROFILES\s+XADDR\s+ENDPOINT$/m);
    for (const camera of eight.cameras) {
      const row = result.stdout.split('\n').find((l) => l.endsWith(camera.endpointReference));
      assert.ok(row, `a row for ${camera.name}`);
      assert.match(row, new RegExp(`^127\\.0\\.0\\.1\\s+${camera.name}\\s+VSIM-1\\s+discover-test\\s+Streaming\\s+${camera.deviceServiceUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+urn:uuid:`));
    }
    assert.doesNotMatch(result.stdout, /Unicast camera/, 'devices on another port are not probed');
  });

  it('--target probes hosts and CIDR ranges by unicast only, and de-duplicates the answers', async () => {
    // Every 127.0.0.x reaches the simulator bound to 0.0.0.0; localhost is 127.0.0.1, already in the range.
    const result = await runVigie(['discover', '--target', `127.0.0.0/29:${privatePort}`, '--target', `localhost:${privatePort}`, '--json', '--timeout', '1.5']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /probing unicast to 6 address\(es\)/);
    const lines = parseLines(result.stdout);
    const ours = new Set(apart.cameras.map((c) => c.endpointReference));
    const found = lines.filter((l) => ours.has(l.endpointReference));
    assert.equal(found.length, 2, result.stdout);
    assert.ok(found.every((l) => l.via === 'unicast'));
    assert.deepEqual(found.map((l) => l.xaddr).sort(), apart.cameras.map((c) => c.deviceServiceUrl).sort());
    assert.ok(!lines.some((l) => eight.cameras.some((c) => c.endpointReference === l.endpointReference)), 'no multicast went out');
  });

  it('refuses an interface this machine does not have and a malformed target, with the fix', async () => {
    const iface = await runVigie(['discover', '--interface', '192.0.2.77', '--timeout', '1']);
    assert.equal(iface.code, 1);
    assert.match(iface.stderr, /error \[DISCOVERY_INTERFACE_UNKNOWN\] "192\.0\.2\.77" is not an IPv4 address or interface name of this machine\n\s+fix: use the IPv4 address \(or name\) of an interface of this machine: .*127\.0\.0\.1 \(lo\)/);
    const range = await runVigie(['discover', '--target', '10.0.0.0/8', '--timeout', '1']);
    assert.equal(range.code, 1);
    assert.match(range.stderr, /error \[USAGE\] 10\.0\.0\.0\/8 holds 16777214 addresses, more than the 4096 one probe may cover\n\s+fix: split it/);
    for (const r of [iface, range]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
