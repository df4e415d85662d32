import { createSocket, type Socket } from 'node:dgram';
import { WSD, buildProbe, parseDiscoveryMessage, type DiscoveryMessage } from '../../src/discovery/index.js';
import type { QName } from '../../src/soap/index.js';

export interface Datagram {
  xml: string;
  message: DiscoveryMessage | undefined;
}

function parse(msg: Buffer): Datagram {
  try {
    return { xml: msg.toString('utf8'), message: parseDiscoveryMessage(msg) };
  } catch (_error) {
    return { xml: msg.toString('utf8'), message: undefined }; // someone else's garbage on the shared port
  }
}

/** Listens to WS-Discovery multicast (Hello, Bye) on loopback only: joined on 127.0.0.1. */
export async function listenMulticast(): Promise<{ received: Datagram[]; close(): Promise<void> }> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const received: Datagram[] = [];
  socket.on('message', (msg) => received.push(parse(msg)));
  await new Promise<void>((resolve) => socket.bind(WSD.port, resolve));
  socket.addMembership(WSD.multicastAddress, '127.0.0.1');
  return { received, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** Sends a Probe out of loopback only and collects the unicast answers for `waitMs`. */
export async function probeLoopback(options: { types?: QName[]; scopes?: string[]; waitMs?: number } = {}): Promise<Datagram[]> {
  const socket: Socket = createSocket('udp4');
  const replies: Datagram[] = [];
  socket.on('message', (msg) => replies.push(parse(msg)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setMulticastInterface('127.0.0.1');
  const probe = Buffer.from(buildProbe({ types: options.types, scopes: options.scopes }));
  await new Promise<void>((resolve, reject) => socket.send(probe, WSD.port, WSD.multicastAddress, (e) => (e ? reject(e) : resolve())));
  await new Promise((r) => setTimeout(r, options.waitMs ?? 1500));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}
