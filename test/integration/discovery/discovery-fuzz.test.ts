import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { describe, it } from 'node:test';
import {
  DiscoveryMonitor,
  IGNORED_REASONS,
  ONVIF_TYPES,
  WSD,
  buildBye,
  buildHello,
  buildProbe,
  buildProbeMatches,
  emptyStats,
  ignoredTotal,
  parseDiscoveryMessage,
  probeNetwork,
  resolveInterfaces,
  type DatagramStats,
  type DiscoveredDevice,
  type DiscoveryTarget,
} from '../../../src/discovery/index.js';
import { xmlNamespace } from '../../../src/soap/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { int, mutate, pick, prng, type Rng } from '../../support/mutations.js';
import { freeUdpPort } from '../../support/udp.js';

const SEED = Number(process.env.VIGIE_FUZZ_SEED ?? 20261128);
const COUNT = 10_000;
const loopback = resolveInterfaces(['127.0.0.1']);
const printer = xmlNamespace('pub', 'http://schemas.microsoft.com/windows/pub/2005/07').qname('Computer');

function target(i: number, rng: Rng): DiscoveryTarget {
  const hex = (n: number) => Array.from({ length: n }, () => int(rng, 16).toString(16)).join('');
  return {
    endpoint: `urn:uuid:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${i.toString(16).padStart(12, '0')}`,
    types: [ONVIF_TYPES.networkVideoTransmitter, ONVIF_TYPES.device],
    scopes: ['onvif://www.onvif.org/Profile/Streaming', `onvif://www.onvif.org/name/Fuzz%20${i}`],
    xaddrs: [`http://127.0.0.1:${10_000 + (i % 50_000)}/onvif/device_service`],
    metadataVersion: 1,
  };
}

/** One hostile or broken datagram: mutated WS-Discovery, other protocols, random bytes, oversized, foreign devices. */
function datagram(rng: Rng, i: number, relatesTo: string): Buffer {
  const t = target(i, rng);
  const base = pick(rng, [
    () => buildProbeMatches({ relatesTo, appSequence: { instanceId: 1, messageNumber: i }, matches: [t] }),
    () => buildProbeMatches({ relatesTo: 'urn:uuid:not-ours', appSequence: { instanceId: 1, messageNumber: i }, matches: [{ ...t, types: [printer] }] }),
    () => buildHello({ target: t, appSequence: { instanceId: 1, messageNumber: i } }),
    () => buildHello({ target: { ...t, types: [printer] }, appSequence: { instanceId: 1, messageNumber: i } }),
    () => buildBye({ endpoint: t.endpoint, appSequence: { instanceId: 1, messageNumber: i } }),
    () => buildProbe({ types: [ONVIF_TYPES.device] }),
    () => buildProbeMatches({ relatesTo, appSequence: { instanceId: 1, messageNumber: i }, matches: [{ ...t, xaddrs: Array.from({ length: 500 }, (_v, k) => `http://169.254.${k % 255}.1/x`), scopes: Array.from({ length: 500 }, (_v, k) => `onvif://www.onvif.org/name/${k}`) }] }),
    () => 'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n',
    () => '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x:Other xmlns:x="urn:other"/></s:Body></s:Envelope>',
  ])();
  if (rng() < 0.05) return Buffer.from(base);
  if (rng() < 0.03) return Buffer.alloc(int(rng, 60_000) + 1, pick(rng, [0x41, 0x3c, 0x00]));
  return mutate(base, rng).data;
}

function send(socket: Socket, data: Buffer, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(data.subarray(0, 65_000), port, address, (error) => (error ? reject(error) : resolve())));
}

/**
 * Sends `count` datagrams, keeping the bytes not yet read by the receiver under 64 KiB, so its socket buffer never
 * overflows: every datagram sent is one the code under test reads (one the kernel drops would prove nothing).
 */
async function blast(socket: Socket, count: number, make: (i: number) => Buffer, destinations: (i: number) => [number, string], stats: DatagramStats): Promise<void> {
  const start = stats.received;
  const sentUpTo = [0]; // bytes sent before datagram i (each counted with some overhead)
  const pending = () => sentUpTo[sentUpTo.length - 1]! - sentUpTo[Math.min(stats.received - start, sentUpTo.length - 1)]!;
  for (let i = 0; i < count; i += 1) {
    const [port, address] = destinations(i);
    const data = make(i);
    const deadline = Date.now() + 5000;
    while (pending() + data.length > 64 * 1024 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    sentUpTo.push(sentUpTo[sentUpTo.length - 1]! + Math.min(data.length, 65_000) + 512);
    await send(socket, data, port, address);
  }
  const deadline = Date.now() + 10_000;
  while (stats.received - start < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

async function udp(address = '127.0.0.1', port = 0): Promise<Socket> {
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve) => s.bind(port, address, resolve));
  return s;
}

describe(`WS-Discovery under fuzzing (seed ${SEED}; VIGIE_FUZZ_SEED to replay)`, { concurrency: true }, () => {
  it(`${COUNT} random and mutated datagrams on the probe socket: each counted and ignored or used, none fatal; the real answers are still found`, async (t) => {
    const port = await freeUdpPort();
    const rng = prng(SEED);
    const device = await udp('0.0.0.0', port);
    t.after(() => device.close());
    device.addMembership(WSD.multicastAddress, '127.0.0.1');
    const probed = new Promise<{ address: string; port: number; messageId: string }>((resolve) =>
      device.on('message', (msg, rinfo) => {
        const m = parseDiscoveryMessage(msg);
        if (m?.kind === 'probe' && m.messageId) resolve({ address: rinfo.address, port: rinfo.port, messageId: m.messageId });
      }),
    );
    const abort = new AbortController();
    const { logger } = captureLogs('info');
    const stats = emptyStats();
    const running = probeNetwork({ interfaces: loopback, timeoutMs: 240_000, port, logger, signal: abort.signal, stats });
    const prober = await probed;
    const sender = await udp();
    t.after(() => sender.close());
    await blast(sender, COUNT, (i) => datagram(rng, i, prober.messageId), () => [prober.port, prober.address], stats);
    const real = Array.from({ length: 20 }, (_v, i) => target(1_000_000 + i, rng));
    for (const r of real) await send(sender, Buffer.from(buildProbeMatches({ relatesTo: prober.messageId, appSequence: { instanceId: 2, messageNumber: 1 }, matches: [r] })), prober.port, prober.address);
    await new Promise((r) => setTimeout(r, 500));
    abort.abort();
    const result = await running;

    const found = new Set(result.devices.map((d) => d.endpoint));
    for (const r of real) assert.ok(found.has(r.endpoint), `real device ${r.endpoint} found`);
    const s = result.stats;
    assert.ok(s.received >= COUNT + real.length, `the probe socket read every datagram sent (${s.received} of ${COUNT + real.length})`);
    assert.equal(s.accepted + ignoredTotal(s), s.received, `every datagram was either used or counted as ignored: ${JSON.stringify(s)}`);
    assert.equal(s.ignored['internal-error'], 0, 'no datagram caused an unexpected error');
    for (const reason of ['malformed-xml', 'refused-xml', 'not-soap', 'not-discovery', 'foreign'] as const) assert.ok(s.ignored[reason] > 0, `some datagrams were ignored as ${reason}: ${JSON.stringify(s)}`);
    assert.ok(result.devices.every((d) => d.xaddrs.length <= 64 && d.scopes.length <= 64), 'garbage cannot make a device description grow without bound');
    console.log(`probe socket: ${s.received} received, ${s.accepted} accepted, ignored ${JSON.stringify(s.ignored)}, ${result.devices.length} devices`);
  });

  it(`${COUNT} random and mutated datagrams on the Hello/Bye listener (multicast and unicast): none fatal; real Hello and Bye still handled`, async (t) => {
    const port = await freeUdpPort();
    const rng = prng(SEED + 1);
    const { logger } = captureLogs('info');
    const monitor = new DiscoveryMonitor({ interfaces: loopback, port, probeTimeoutMs: 300, probeIntervalMs: 0, logger });
    const devices: DiscoveredDevice[] = [];
    const byes: string[] = [];
    monitor.on('device', (d) => devices.push(d));
    monitor.on('bye', (b) => byes.push(b.endpoint));
    await monitor.start();
    t.after(() => monitor.stop());
    const sender = await udp();
    t.after(() => sender.close());
    sender.setMulticastInterface('127.0.0.1');
    await blast(sender, COUNT, (i) => datagram(rng, i, 'urn:uuid:whatever'), (i) => [port, i % 2 ? WSD.multicastAddress : '127.0.0.1'], monitor.stats);
    const real = Array.from({ length: 10 }, (_v, i) => target(2_000_000 + i, rng));
    for (const r of real) await send(sender, Buffer.from(buildHello({ target: r, appSequence: { instanceId: 3, messageNumber: 1 } })), port, WSD.multicastAddress);
    await send(sender, Buffer.from(buildBye({ endpoint: real[0]!.endpoint, appSequence: { instanceId: 3, messageNumber: 2 } })), port, WSD.multicastAddress);
    await new Promise((r) => setTimeout(r, 500));

    for (const r of real) assert.ok(devices.some((d) => d.endpoint === r.endpoint && d.via === 'hello' && d.xaddr === r.xaddrs[0]), `Hello of ${r.endpoint} handled`);
    assert.ok(byes.includes(real[0]!.endpoint), 'Bye handled');
    assert.ok(!devices.some((d) => d.types.includes('{http://schemas.microsoft.com/windows/pub/2005/07}Computer') && !d.types.includes('tds:Device')), 'Hellos of non-ONVIF devices are not reported');
    const s = monitor.stats;
    assert.ok(s.received >= COUNT + real.length + 1, `the listener read every datagram sent (${s.received})`);
    assert.equal(s.accepted + ignoredTotal(s), s.received, JSON.stringify(s));
    assert.equal(s.ignored['internal-error'], 0);
    assert.deepEqual(Object.keys(s.ignored).sort(), [...IGNORED_REASONS].sort());
    console.log(`listener: ${s.received} received, ${s.accepted} accepted, ignored ${JSON.stringify(s.ignored)}, ${devices.length} Hello(s)`);
  });
});
