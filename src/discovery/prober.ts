import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DiscoveryInterfaceError, MulticastJoinError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { QName } from '../soap/index.js';
import { WSD } from './constants.js';
import { classifyDatagram, emptyStats, type DatagramStats } from './datagrams.js';
import { isOnvifDevice, mergeSighting, toDiscoveredDevice, type DiscoveredDevice } from './discovered-device.js';
import { buildProbe, newMessageId, ONVIF_TYPES } from './messages.js';
import { ipv4ToNumber, onSubnet, type LocalInterface } from './network-interfaces.js';
import type { UnicastTarget } from './probe-targets.js';
import { retransmitSchedule, SOAP_UDP } from './probe-schedule.js';

export interface ProbeNetworkOptions {
  /** Interfaces to multicast the Probe on (one socket each, pinned to its address); none = unicast only. */
  interfaces: readonly LocalInterface[];
  /** Hosts probed by unicast (routed networks multicast does not reach). */
  targets?: readonly UnicastTarget[];
  /** How long to collect answers, in ms. */
  timeoutMs: number;
  /** Destination port of multicast Probes. @defaultValue 3702 (tests use a private port) */
  port?: number;
  /** Only devices with these scopes answer (RFC 3986 prefix match). */
  scopes?: readonly string[];
  logger: Logger;
  /** Called once per new device, as answers arrive. */
  onDevice?: (device: DiscoveredDevice) => void;
  /** Ends the collection early. */
  signal?: AbortSignal;
  /** Counters to update as datagrams arrive (live progress); a fresh set when not given. */
  stats?: DatagramStats;
}

export interface ProbeNetworkResult {
  /** One entry per EndpointReference, ordered by address. */
  devices: DiscoveredDevice[];
  stats: DatagramStats;
  /** Datagrams sent (every Probe, every repetition, every target). */
  sent: number;
  /** Sends the network refused (no route, permission). */
  sendErrors: number;
  durationMs: number;
}

/** The Probes sent: one per ONVIF type (strict devices match tds:Device only, agsh-era ones dn:NetworkVideoTransmitter). */
const PROBE_TYPES: readonly QName[] = [ONVIF_TYPES.device, ONVIF_TYPES.networkVideoTransmitter];

interface ProbeSocket {
  socket: Socket;
  /** The interface it is pinned to; undefined for the routed unicast socket. */
  iface: LocalInterface | undefined;
}

function bindSocket(address: string, logger: Logger): Promise<Socket> {
  const socket = createSocket({ type: 'udp4' });
  return new Promise((resolve, reject) => {
    socket.once('error', (cause: NodeJS.ErrnoException) => {
      socket.close();
      reject(cause);
    });
    socket.bind(0, address, () => {
      socket.removeAllListeners('error');
      socket.on('error', (error) => logger.debug({ err: error }, 'WS-Discovery probe socket error'));
      resolve(socket);
    });
  });
}

function sortKey(address: string): number {
  return ipv4ToNumber(address) ?? Number.MAX_SAFE_INTEGER;
}

/**
 * WS-Discovery Probe, the client side: multicasts a Probe per ONVIF type on every given interface (each socket
 * bound to the interface address, so nothing leaves through another one), unicasts them to the targets, repeats
 * each with SOAP-over-UDP's random delays, and collects ProbeMatches until the timeout. Devices are de-duplicated
 * by EndpointReference; anything else that arrives (garbage, other protocols, hostile XML) is counted and ignored.
 */
export async function probeNetwork(options: ProbeNetworkOptions): Promise<ProbeNetworkResult> {
  const log = options.logger;
  const port = options.port ?? WSD.port;
  const started = Date.now();
  const stats = options.stats ?? emptyStats();
  const devices = new Map<string, DiscoveredDevice>();
  const multicastIds = new Map<string, QName>();
  const unicastIds = new Map<string, QName>();
  for (const type of PROBE_TYPES) {
    multicastIds.set(newMessageId(), type);
    unicastIds.set(newMessageId(), type);
  }
  const sockets: ProbeSocket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let sent = 0;
  let sendErrors = 0;
  let finished = false;

  const closeAll = () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    return Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.socket.close(() => resolve()))));
  };

  const onMessage = (msg: Buffer, rinfo: RemoteInfo, via: ProbeSocket) => {
    if (finished) return;
    stats.received += 1;
    try {
      const classified = classifyDatagram(msg, `${rinfo.address}:${rinfo.port}`);
      if (!classified.ok) {
        stats.ignored[classified.reason] += 1;
        log.debug({ from: `${rinfo.address}:${rinfo.port}`, reason: classified.reason, detail: classified.detail.slice(0, 200) }, 'WS-Discovery datagram ignored');
        return;
      }
      const message = classified.message;
      if (message.kind !== 'probeMatches') {
        stats.ignored.foreign += 1;
        return;
      }
      const relatesTo = message.relatesTo ?? '';
      const ours = multicastIds.has(relatesTo) || unicastIds.has(relatesTo);
      const matches = message.matches.filter((m) => ours || isOnvifDevice(m.types, m.scopes));
      if (matches.length === 0) {
        stats.ignored.foreign += 1;
        return;
      }
      stats.accepted += 1;
      const how = unicastIds.has(relatesTo) ? 'unicast' : 'multicast';
      for (const match of matches) {
        const device = toDiscoveredDevice(match, rinfo.address, via.iface?.address ?? 'unicast', how);
        const known = devices.get(device.endpoint);
        devices.set(device.endpoint, known ? mergeSighting(known, device) : device);
        if (!known) {
          log.debug({ endpoint: device.endpoint, address: device.address, xaddr: device.xaddr }, 'ONVIF device found');
          options.onDevice?.(device);
        }
      }
    } catch (error) {
      stats.ignored['internal-error'] += 1;
      log.error({ err: error, from: rinfo.address }, 'WS-Discovery answer could not be handled');
    }
  };

  const send = (ps: ProbeSocket, data: Buffer, address: string, destPort: number) => {
    ps.socket.send(data, destPort, address, (error) => {
      if (error) {
        sendErrors += 1;
        log.debug({ err: error, to: `${address}:${destPort}`, interface: ps.iface?.address }, 'WS-Discovery probe not sent');
      }
    });
    sent += 1;
  };

  const schedule = (delayMs: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!finished) work();
    }, delayMs);
    timers.add(timer);
  };

  const unicastPlan: Array<{ ps: ProbeSocket; target: UnicastTarget }> = [];
  try {
    for (const iface of options.interfaces) {
      let socket: Socket;
      try {
        socket = await bindSocket(iface.address, log);
      } catch (cause) {
        throw new DiscoveryInterfaceError(`cannot probe on ${iface.address}: ${(cause as Error).message}`, [iface.address]);
      }
      const ps: ProbeSocket = { socket, iface };
      sockets.push(ps);
      try {
        socket.setMulticastInterface(iface.address);
        socket.setMulticastTTL(1);
        socket.setMulticastLoopback(true);
      } catch (cause) {
        throw new MulticastJoinError(WSD.multicastAddress, iface.address, cause);
      }
      socket.on('message', (msg, rinfo) => onMessage(msg, rinfo, ps));
    }
    let routed: ProbeSocket | undefined;
    for (const target of options.targets ?? []) {
      let ps = sockets.find((s) => s.iface && (onSubnet(target.address, s.iface) || (target.address.startsWith('127.') && s.iface.address.startsWith('127.'))));
      if (!ps) {
        if (!routed) {
          routed = { socket: await bindSocket('0.0.0.0', log), iface: undefined };
          sockets.push(routed);
          const r = routed;
          routed.socket.on('message', (msg, rinfo) => onMessage(msg, rinfo, r));
        }
        ps = routed;
      }
      unicastPlan.push({ ps, target });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  const multicastProbes = [...multicastIds].map(([id, type]) => Buffer.from(buildProbe({ messageId: id, types: [type], scopes: options.scopes }), 'utf8'));
  const unicastProbes = [...unicastIds].map(([id, type]) => Buffer.from(buildProbe({ messageId: id, types: [type], scopes: options.scopes }), 'utf8'));
  for (const ps of sockets.filter((s) => s.iface)) {
    for (const at of retransmitSchedule(SOAP_UDP.multicastRepeat)) {
      schedule(at, () => {
        for (const probe of multicastProbes) send(ps, probe, WSD.multicastAddress, port);
      });
    }
  }
  if (unicastPlan.length > 0) {
    const plan = unicastPlan;
    for (const at of retransmitSchedule(SOAP_UDP.unicastRepeat)) {
      schedule(at, () => {
        // Large ranges go out in slices, yielding in between, so answers are read while probes are still sent.
        let i = 0;
        const slice = () => {
          if (finished) return;
          for (const end = Math.min(i + 128, plan.length); i < end; i += 1) for (const probe of unicastProbes) send(plan[i]!.ps, probe, plan[i]!.target.address, plan[i]!.target.port);
          if (i < plan.length) setImmediate(slice);
        };
        slice();
      });
    }
  }

  await new Promise<void>((resolve) => {
    const done = () => {
      options.signal?.removeEventListener('abort', done);
      resolve();
    };
    schedule(options.timeoutMs, done);
    options.signal?.addEventListener('abort', done, { once: true });
    if (options.signal?.aborted) done();
  });
  finished = true;
  await closeAll();
  const list = [...devices.values()].sort((a, b) => sortKey(a.address) - sortKey(b.address) || a.endpoint.localeCompare(b.endpoint));
  if (sent > 0 && sendErrors === sent) log.warn({ interfaces: options.interfaces.map((i) => i.address) }, 'no WS-Discovery probe could be sent: check the interfaces and routes');
  return { devices: list, stats, sent, sendErrors, durationMs: Date.now() - started };
}
