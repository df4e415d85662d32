import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SOAP_UDP,
  buildHello,
  buildProbeMatches,
  chooseXAddr,
  classifyDatagram,
  expandCidr,
  expandTargets,
  mergeSighting,
  ONVIF_TYPES,
  resolveInterfaces,
  retransmitSchedule,
  summarizeScopes,
  toDiscoveredDevice,
  type LocalInterface,
} from '../../../src/discovery/index.js';
import { DiscoveryInterfaceError, UsageError } from '../../../src/errors/index.js';

const IFACES: LocalInterface[] = [
  { name: 'lo', address: '127.0.0.1', netmask: '255.0.0.0', internal: true },
  { name: 'eth0', address: '192.168.1.10', netmask: '255.255.255.0', internal: false },
  { name: 'eth1', address: '10.20.0.5', netmask: '255.255.0.0', internal: false },
];

describe('choosing the XAddr of a discovered device', () => {
  it('prefers the http XAddr on the address the answer came from, among several', () => {
    const x = ['https://192.168.1.64/onvif/device_service', 'http://169.254.12.7/onvif/device_service', 'http://192.168.1.64/onvif/device_service', 'http://[fe80::1]/onvif/device_service'];
    assert.deepEqual(chooseXAddr(x, '192.168.1.64'), { xaddr: 'http://192.168.1.64/onvif/device_service', rewritten: false, reason: 'the XAddr on the address the reply came from' });
    assert.equal(chooseXAddr(['https://192.168.1.64/onvif/device_service'], '192.168.1.64').xaddr, 'https://192.168.1.64/onvif/device_service');
  });

  it('moves a factory-default or link-local XAddr to the answering address, keeping port and path', () => {
    const factory = chooseXAddr(['http://192.168.0.64:8080/onvif/device_service'], '10.20.3.4');
    assert.equal(factory.xaddr, 'http://10.20.3.4:8080/onvif/device_service');
    assert.equal(factory.rewritten, true);
    assert.match(factory.reason, /announced 192\.168\.0\.64:8080 is not the address the reply came from \(factory default or NAT\): using the reply source 10\.20\.3\.4/);
    const linkLocal = chooseXAddr(['http://169.254.1.2/onvif/device_service', 'http://0.0.0.0/x'], '10.20.3.4');
    assert.equal(linkLocal.xaddr, 'http://10.20.3.4/onvif/device_service');
    assert.match(linkLocal.reason, /link-local, loopback or unspecified/);
    // A usable announced address is preferred as the base over a link-local one, whatever the order.
    assert.equal(chooseXAddr(['http://169.254.1.2:81/a', 'http://192.168.0.64:82/b'], '10.0.0.9').xaddr, 'http://10.0.0.9:82/b');
  });

  it('survives XAddrs that are not URLs, other schemes, or none', () => {
    assert.deepEqual(chooseXAddr([], '10.0.0.1'), { xaddr: undefined, rewritten: false, reason: 'the device announced no XAddr' });
    assert.equal(chooseXAddr(['not a url', 'ftp://10.0.0.1/x', 'http://[::1', 'javascript:alert(1)'], '10.0.0.1').xaddr, undefined);
    assert.equal(chooseXAddr(['%%%', 'http://cam.local/onvif/device_service'], '10.0.0.1').xaddr, 'http://10.0.0.1/onvif/device_service');
  });

  it('merges sightings of one EndpointReference: XAddrs united, a direct one preferred', () => {
    const match = { endpoint: 'urn:uuid:1', types: [], scopes: [], metadataVersion: 1 };
    const viaNat = toDiscoveredDevice({ ...match, xaddrs: ['http://192.168.0.64/onvif/device_service'] }, '10.0.0.2', '10.0.0.1', 'multicast');
    const direct = toDiscoveredDevice({ ...match, xaddrs: ['http://10.0.0.2/onvif/device_service'] }, '10.0.0.2', '10.0.0.1', 'unicast');
    const merged = mergeSighting(viaNat, direct);
    assert.equal(merged.xaddr, 'http://10.0.0.2/onvif/device_service');
    assert.equal(merged.xaddrRewritten, false);
    assert.deepEqual(merged.xaddrs, ['http://192.168.0.64/onvif/device_service', 'http://10.0.0.2/onvif/device_service']);
  });
});

describe('recognising ONVIF devices', () => {
  it('by type, or by ONVIF scopes when a device leaves its types out', async () => {
    const { isOnvifDevice } = await import('../../../src/discovery/index.js');
    const { NS } = await import('../../../src/soap/index.js');
    assert.equal(isOnvifDevice([{ uri: NS.dn, local: 'NetworkVideoTransmitter' }]), true);
    assert.equal(isOnvifDevice([{ uri: 'http://schemas.microsoft.com/windows/pub/2005/07', local: 'Computer' }], ['onvif://www.onvif.org/name/x']), false);
    assert.equal(isOnvifDevice([], ['onvif://www.onvif.org/name/x']), true);
    assert.equal(isOnvifDevice([], ['ldap:///ou=printers']), false);
  });
});

describe('ONVIF scopes', () => {
  it('reads name, hardware, location, profiles, MAC and serial; percent-decoded; other scopes ignored', () => {
    const s = summarizeScopes([
      'onvif://www.onvif.org/Profile/Streaming',
      'onvif://www.onvif.org/Profile/T',
      'onvif://www.onvif.org/name/Lobby%20Dome',
      'onvif://www.onvif.org/hardware/DS-2CD2143G2-I',
      'onvif://www.onvif.org/location/country/france',
      'onvif://www.onvif.org/location/city/Paris',
      'onvif://www.onvif.org/MacAddress/bc-ad-28-01-02-03',
      'ONVIF://WWW.ONVIF.ORG/SerialNumber/ABC%ZZ',
      'http://example.com/other',
      'onvif://www.onvif.org/name/',
    ]);
    assert.deepEqual(s, { name: 'Lobby Dome', hardware: 'DS-2CD2143G2-I', location: 'country/france, city/Paris', profiles: ['Streaming', 'T'], macAddress: 'bc-ad-28-01-02-03', serialNumber: 'ABC%ZZ' });
  });
});

describe('probe targets and interfaces', () => {
  it('expands CIDR ranges to their host addresses', () => {
    assert.deepEqual(expandCidr('192.0.2.0/30'), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(expandCidr('192.0.2.7/32'), ['192.0.2.7']);
    assert.deepEqual(expandCidr('192.0.2.9/31'), ['192.0.2.8', '192.0.2.9']);
    assert.equal(expandCidr('10.1.0.0/20').length, 4094);
    assert.throws(() => expandCidr('10.0.0.0/16'), (e: UsageError) => e instanceof UsageError && /65534 addresses, more than the 4096/.test(e.message));
    assert.throws(() => expandCidr('300.1.1.1/24'), UsageError);
  });

  it('parses hosts, ports and ranges, drops duplicates, refuses garbage', async () => {
    assert.deepEqual(await expandTargets(['192.0.2.5', '192.0.2.5:3702', '192.0.2.4/31:3800', 'localhost']), [
      { address: '192.0.2.5', port: 3702 },
      { address: '192.0.2.4', port: 3800 },
      { address: '192.0.2.5', port: 3800 },
      { address: '127.0.0.1', port: 3702 },
    ]);
    await assert.rejects(expandTargets(['192.0.2.1:99999']), UsageError);
    await assert.rejects(expandTargets(['http://x/']), UsageError);
    await assert.rejects(expandTargets(['no-such-host.invalid']), /does not resolve to an IPv4 address/);
  });

  it('picks every non-loopback interface by default; addresses or names on request', () => {
    assert.deepEqual(resolveInterfaces([], IFACES).map((i) => i.address), ['192.168.1.10', '10.20.0.5']);
    assert.deepEqual(resolveInterfaces(['lo', '10.20.0.5'], IFACES).map((i) => i.address), ['127.0.0.1', '10.20.0.5']);
    assert.throws(() => resolveInterfaces(['192.168.9.9'], IFACES), DiscoveryInterfaceError);
    assert.throws(() => resolveInterfaces([], [IFACES[0]!]), /no non-loopback IPv4 interface to probe on/);
  });
});

describe('SOAP-over-UDP retransmission', () => {
  it('repeats after a random 50-250 ms delay, doubling up to 500 ms', () => {
    for (const r of [0, 0.5, 1]) {
      const t = retransmitSchedule(SOAP_UDP.multicastRepeat, () => r);
      assert.equal(t.length, 3);
      const first = t[1]!;
      assert.ok(first >= 50 && first <= 250);
      assert.equal(t[2]! - t[1]!, Math.min(2 * first, 500));
    }
    assert.equal(retransmitSchedule(SOAP_UDP.unicastRepeat).length, 2);
  });
});

describe('classifying datagrams on a discovery socket', () => {
  const target = { endpoint: 'urn:uuid:1', types: [ONVIF_TYPES.device], scopes: [], xaddrs: ['http://10.0.0.1/x'], metadataVersion: 1 };
  it('accepts WS-Discovery whatever the prefixes, and says why anything else is ignored', () => {
    const matches = buildProbeMatches({ relatesTo: 'urn:uuid:p', appSequence: { instanceId: 1, messageNumber: 1 }, matches: [target] });
    const renamed = matches.replace(/\bd:/g, 'wsdd:').replace(/xmlns:d=/, 'xmlns:wsdd=').replace(/\bs:/g, 'SOAP-ENV:').replace(/xmlns:s=/, 'xmlns:SOAP-ENV=');
    assert.equal(classifyDatagram(Buffer.from(renamed), 'x').ok, true);
    const hello = classifyDatagram(Buffer.from(buildHello({ target, appSequence: { instanceId: 1, messageNumber: 1 } })), 'x');
    assert.equal(hello.ok && hello.message.kind, 'hello');
    const reasons = (texts: string[]) => texts.map((t) => {
      const c = classifyDatagram(Buffer.from(t), 'x');
      return c.ok ? 'ok' : c.reason;
    });
    assert.deepEqual(reasons(['', 'garbage', '<a><b></a>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', `<a>${'<b>'.repeat(100)}`, '<root/>', '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x:Y xmlns:x="urn:y"/></s:Body></s:Envelope>']), [
      'malformed-xml',
      'malformed-xml',
      'malformed-xml',
      'refused-xml',
      'refused-xml',
      'not-soap',
      'not-soap',
      'not-discovery',
    ]);
  });
});
