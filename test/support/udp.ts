import { createSocket } from 'node:dgram';

/**
 * A UDP port nobody uses right now, for a private WS-Discovery port: tests that need Hello/Bye or probes of their
 * own use it instead of 3702, so other programs on the machine (other test runs, other simulators) neither see nor
 * disturb them. Multicast stays on loopback (127.0.0.1) either way.
 */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A TCP port that was free a moment ago and is closed now (connections to it are refused). */
export async function closedTcpPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
