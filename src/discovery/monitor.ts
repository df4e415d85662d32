import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { ListenError, MulticastJoinError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { WSD } from './constants.js';
import { classifyDatagram, emptyStats, type DatagramStats } from './datagrams.js';
import { isOnvifDevice, toDiscoveredDevice, type DiscoveredDevice } from './discovered-device.js';
import { onSubnet, type LocalInterface } from './network-interfaces.js';
import { probeNetwork, type ProbeNetworkResult } from './prober.js';
import type { UnicastTarget } from './probe-targets.js';

export interface DiscoveryMonitorEvents {
  /** A device announced itself (Hello) or answered a Probe. Emitted for every sighting; consumers de-duplicate. */
  device: [device: DiscoveredDevice];
  /** A device said it leaves the network. */
  bye: [bye: { endpoint: string; address: string }];
}

export interface DiscoveryMonitorOptions {
  /** Interfaces to listen on for Hello/Bye and to probe (each joined and sent on its own address). */
  interfaces: readonly LocalInterface[];
  /** Hosts probed by unicast as well. */
  targets?: readonly UnicastTarget[];
  /** WS-Discovery port. @defaultValue 3702 */
  port?: number;
  /** How long each probe collects answers, in ms. */
  probeTimeoutMs: number;
  /** Probe again this often (Hellos can be lost, and devices may be non-discoverable until asked), in ms; 0 = only at start. */
  probeIntervalMs: number;
  logger: Logger;
  /** EndpointReferences never reported (Vigie's own ONVIF device, which would otherwise onboard itself). */
  ignoreEndpoints?: readonly string[];
}

/**
 * Watches the network for ONVIF devices while Vigie runs: listens for Hello and Bye on the WS-Discovery port of
 * each interface (a shared port: other programs may listen too), probes at start and then periodically, and
 * emits `device` and `bye`. Nothing is bound before `start()`; background failures are logged, never thrown;
 * garbage on the port is counted in `stats`.
 */
export class DiscoveryMonitor extends EventEmitter<DiscoveryMonitorEvents> {
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<ProbeNetworkResult | undefined> | undefined;
  private readonly recent = new Map<string, number>();
  private stopped = false;
  private readonly shutdown = new AbortController();
  readonly stats: DatagramStats = emptyStats();

  constructor(private readonly options: DiscoveryMonitorOptions) {
    super();
  }

  async start(): Promise<void> {
    const { logger, interfaces } = this.options;
    const port = this.options.port ?? WSD.port;
    if (interfaces.length > 0) {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', (cause: NodeJS.ErrnoException) => {
          socket.close();
          reject(new ListenError('WS-Discovery listener', '0.0.0.0', port, cause));
        });
        socket.bind(port, () => {
          socket.removeAllListeners('error');
          resolve();
        });
      });
      for (const iface of interfaces) {
        try {
          socket.addMembership(WSD.multicastAddress, iface.address);
        } catch (cause) {
          socket.close();
          throw new MulticastJoinError(WSD.multicastAddress, iface.address, cause);
        }
      }
      socket.on('error', (error) => logger.warn({ err: error }, 'WS-Discovery listener error'));
      socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
      this.socket = socket;
      logger.info({ interfaces: interfaces.map((i) => i.address), port }, 'listening for ONVIF devices (WS-Discovery Hello/Bye)');
    }
    void this.probeNow();
    if (this.options.probeIntervalMs > 0) {
      this.timer = setInterval(() => void this.probeNow(), this.options.probeIntervalMs);
      this.timer.unref();
    }
  }

  /** Probes now (or joins the probe in progress); every device found is emitted. Never rejects. */
  probeNow(): Promise<ProbeNetworkResult | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    this.probing ??= probeNetwork({
      interfaces: this.options.interfaces,
      targets: this.options.targets,
      port: this.options.port,
      timeoutMs: this.options.probeTimeoutMs,
      logger: this.options.logger,
      signal: this.shutdown.signal,
      onDevice: (device) => {
        if (!this.stopped && !this.options.ignoreEndpoints?.includes(device.endpoint)) this.emit('device', device);
      },
    })
      .then((result) => {
        this.options.logger.debug({ devices: result.devices.length, ignored: result.stats.ignored }, 'WS-Discovery probe done');
        return result;
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'WS-Discovery probe failed');
        return undefined;
      })
      .finally(() => {
        this.probing = undefined;
      });
    return this.probing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.shutdown.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    await this.probing;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.stopped) return;
    this.stats.received += 1;
    try {
      const classified = classifyDatagram(msg, `${rinfo.address}:${rinfo.port}`);
      if (!classified.ok) {
        this.stats.ignored[classified.reason] += 1;
        this.options.logger.debug({ from: rinfo.address, reason: classified.reason }, 'WS-Discovery datagram ignored');
        return;
      }
      const message = classified.message;
      if (message.messageId && this.seen(message.messageId)) {
        this.stats.accepted += 1;
        return; // the repeated copy of a multicast message
      }
      if (message.kind === 'hello' && this.options.ignoreEndpoints?.includes(message.endpoint)) {
        this.stats.ignored.foreign += 1;
      } else if (message.kind === 'hello' && isOnvifDevice(message.types, message.scopes)) {
        this.stats.accepted += 1;
        const iface = this.options.interfaces.find((i) => onSubnet(rinfo.address, i))?.address ?? this.options.interfaces[0]?.address ?? 'unknown';
        this.emit('device', toDiscoveredDevice(message, rinfo.address, iface, 'hello'));
      } else if (message.kind === 'bye') {
        this.stats.accepted += 1;
        this.emit('bye', { endpoint: message.endpoint, address: rinfo.address });
      } else {
        // Probes of other clients, Hellos of non-ONVIF devices (printers, PCs), ProbeMatches meant for others.
        this.stats.ignored.foreign += 1;
      }
    } catch (error) {
      this.stats.ignored['internal-error'] += 1;
      this.options.logger.error({ err: error, from: rinfo.address }, 'WS-Discovery message could not be handled');
    }
  }

  private seen(messageId: string): boolean {
    const now = Date.now();
    for (const [id, at] of this.recent) {
      if (now - at < 30_000) break;
      this.recent.delete(id);
    }
    if (this.recent.has(messageId)) return true;
    this.recent.set(messageId, now);
    if (this.recent.size > 4096) this.recent.delete(this.recent.keys().next().value as string);
    return false;
  }
}
