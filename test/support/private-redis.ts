import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * A private redis-server for one test (loopback, a free port, no persistence), so the test can kill and restart
 * it without touching the shared Redis. Stopped when the test ends.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** `onEnd` registers the kill (a TestContext's `after`, or a teardown list that orders it after the clients). */
  static async start(onEnd: TestContext['after'] | ((close: () => unknown) => void)): Promise<PrivateRedis> {
    const redis = new PrivateRedis();
    redis.port = await freeTcpPort();
    onEnd(() => redis.kill());
    await redis.restart();
    return redis;
  }

  /** Starts (again) on the same port, empty, and waits until it answers PING. */
  async restart(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`, { cause: error });
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** SIGKILL: the abrupt loss of the Redis host. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async usedMemory(): Promise<number> {
    const probe = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      const info = await probe.info('memory');
      return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    } finally {
      probe.disconnect();
    }
  }
}
