import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { ListenError, MulticastJoinError, XmlRejectedError, SoapFaultError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { WSD } from './constants.js';
import { probeMatches } from './match.js';
import { buildBye, buildHello, buildProbeMatches, newMessageId, type AppSequence, type DiscoveryTarget } from './messages.js';
import { parseDiscoveryMessage } from './parse.js';

export interface DiscoveryResponderOptions {
  /** IPv4 address of the interface to join the multicast group on and send from (127.0.0.1 in tests). */
  interfaceAddress: string;
  logger: Logger;
  /** The devices this responder speaks for (read at each probe, so they may change). */
  targets: () => readonly DiscoveryTarget[];
  /** Replies wait a random 0..this many ms (WS-Discovery APP_MAX_DELAY) so many devices do not answer at once. @defaultValue 500 */
  maxReplyDelayMs?: number;
  /** UDP port. @defaultValue 3702 */
  port?: number;
  /** Send Hello when starting and Bye when stopping. @defaultValue true */
  announce?: boolean;
}

/** Multicast messages go out this many times (SOAP-over-UDP MULTICAST_UDP_REPEAT), with the same MessageID. */
const REPEATS = 2;

/**
 * The device side of WS-Discovery for any number of devices: answers Probes (each device with its own
 * ProbeMatches), sends Hello on start and Bye on stop. Multicast is joined and sent on `interfaceAddress` only,
 * and only probes from that interface's subnet are answered. Garbage on the port is ignored.
 */
export class DiscoveryResponder {
  private socket: Socket | undefined;
  private readonly sequences = new Map<string, AppSequence>();
  private readonly instanceId = Math.floor(Date.now() / 1000);
  private readonly recent = new Map<string, number>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private subnet: { network: number; mask: number } | undefined;

  constructor(private readonly options: DiscoveryResponderOptions) {}

  async start(): Promise<void> {
    const { interfaceAddress, logger } = this.options;
    this.subnet = subnetOf(interfaceAddress);
    if (!this.subnet) throw new MulticastJoinError(WSD.multicastAddress, interfaceAddress, new Error('no IPv4 interface of this machine has this address'));
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const port = this.options.port ?? WSD.port;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (cause: NodeJS.ErrnoException) => {
        socket.close();
        reject(new ListenError('WS-Discovery', '0.0.0.0', port, cause));
      });
      socket.bind(port, () => {
        socket.removeAllListeners('error');
        resolve();
      });
    });
    try {
      socket.addMembership(WSD.multicastAddress, interfaceAddress);
      socket.setMulticastInterface(interfaceAddress);
      socket.setMulticastTTL(1);
      socket.setMulticastLoopback(true);
    } catch (error) {
      socket.close();
      throw new MulticastJoinError(WSD.multicastAddress, interfaceAddress, error);
    }
    socket.on('error', (error) => logger.warn({ err: error }, 'WS-Discovery socket error'));
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket = socket;
    logger.debug({ interface: interfaceAddress, port }, 'WS-Discovery responder listening');
    if (this.options.announce ?? true) await Promise.all(this.options.targets().map((t) => this.hello(t)));
  }

  /** Announces a device (multicast Hello). */
  async hello(target: DiscoveryTarget): Promise<void> {
    await this.multicast(buildHello({ target, appSequence: this.next(target.endpoint) }));
  }

  /** Says a device leaves (multicast Bye). */
  async bye(endpoint: string): Promise<void> {
    await this.multicast(buildBye({ endpoint, appSequence: this.next(endpoint) }));
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    if (this.options.announce ?? true) {
      await Promise.all(this.options.targets().map((t) => this.bye(t.endpoint))).catch((error: unknown) => this.options.logger.warn({ err: error }, 'WS-Discovery Bye failed'));
    }
    this.socket = undefined;
    try {
      socket.dropMembership(WSD.multicastAddress, this.options.interfaceAddress);
    } catch (error) {
      this.options.logger.debug({ err: error }, 'WS-Discovery membership already gone');
    }
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private next(endpoint: string): AppSequence {
    const seq = this.sequences.get(endpoint) ?? { instanceId: this.instanceId, messageNumber: 0 };
    seq.messageNumber += 1;
    this.sequences.set(endpoint, seq);
    return { ...seq };
  }

  private async multicast(xml: string): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const data = Buffer.from(xml, 'utf8');
    for (let i = 0; i < REPEATS; i += 1) {
      await new Promise<void>((resolve) => socket.send(data, WSD.port, WSD.multicastAddress, (error) => {
        if (error) this.options.logger.warn({ err: error }, 'WS-Discovery multicast send failed');
        resolve();
      }));
      if (i < REPEATS - 1) await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }

  private onMessage(msg: Buffer, received: RemoteInfo): void {
    const log = this.options.logger;
    // A prober on a host whose only interface is loopback (a fresh network namespace) sends from 0.0.0.0: for a
    // loopback responder that is a local prober, answered on 127.0.0.1.
    const rinfo = received.address === '0.0.0.0' && this.options.interfaceAddress.startsWith('127.') ? { ...received, address: this.options.interfaceAddress } : received;
    if (!this.fromOurSubnet(rinfo.address)) {
      log.debug({ from: rinfo.address }, 'WS-Discovery message from another network ignored');
      return;
    }
    let message;
    try {
      message = parseDiscoveryMessage(msg, { source: `${rinfo.address}:${rinfo.port}` });
    } catch (error) {
      if (error instanceof XmlRejectedError || error instanceof SoapFaultError) {
        log.debug({ from: rinfo.address, reason: error.message }, 'WS-Discovery datagram ignored');
        return;
      }
      log.warn({ err: error }, 'WS-Discovery datagram could not be read');
      return;
    }
    if (message?.kind !== 'probe') return;
    if (message.messageId && this.seen(message.messageId)) return;
    const matching = this.options.targets().filter((t) => probeMatches(message, t));
    log.debug({ from: `${rinfo.address}:${rinfo.port}`, matches: matching.length }, 'WS-Discovery probe');
    for (const target of matching) {
      const delay = Math.random() * (this.options.maxReplyDelayMs ?? 500);
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        const reply = buildProbeMatches({ relatesTo: message.messageId ?? newMessageId(), appSequence: this.next(target.endpoint), matches: [target] });
        this.socket?.send(Buffer.from(reply, 'utf8'), rinfo.port, rinfo.address, (error) => {
          if (error) log.debug({ err: error }, 'ProbeMatches send failed');
        });
      }, delay);
      this.pending.add(timer);
    }
  }

  /** Duplicate probes (clients repeat them) get one answer. */
  private seen(messageId: string): boolean {
    const now = Date.now();
    for (const [id, at] of this.recent) {
      if (now - at < 10_000) break;
      this.recent.delete(id);
    }
    if (this.recent.has(messageId)) return true;
    this.recent.set(messageId, now);
    if (this.recent.size > 1000) this.recent.delete(this.recent.keys().next().value as string);
    return false;
  }

  private fromOurSubnet(address: string): boolean {
    const ip = ipv4(address);
    return ip !== undefined && this.subnet !== undefined && (ip & this.subnet.mask) >>> 0 === this.subnet.network;
  }
}

function ipv4(address: string): number | undefined {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** The subnet of a local IPv4 address, from the machine's interfaces. */
function subnetOf(address: string): { network: number; mask: number } | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family !== 'IPv4' || info.address !== address) continue;
      const ip = ipv4(info.address);
      const mask = ipv4(info.netmask);
      if (ip === undefined || mask === undefined) return undefined;
      return { network: (ip & mask) >>> 0, mask };
    }
  }
  return undefined;
}
