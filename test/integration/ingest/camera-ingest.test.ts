import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { configSchema } from '../../../src/config/index.js';
import type { Frame } from '../../../src/frames/index.js';
import { CameraIngest, resolveIngestSettings, type CameraIngestOverrides, type IngestSettings } from '../../../src/ingest/index.js';
import { silentLogger, type Logger } from '../../../src/logging/index.js';
import { createMetricsRegistry } from '../../../src/metrics/index.js';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { tempDir } from '../../support/temp.js';

const PASSWORD = 'Ingest-s3cret';
const INPUT = { width: 416, height: 416, pixelFormat: 'bgr24' as const };

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.href;
}

function settings(overrides: CameraIngestOverrides & { watchdog?: Partial<IngestSettings['watchdog']> } = {}): IngestSettings {
  const { watchdog, ...camera } = overrides;
  const global = configSchema.parse({}).ingest;
  return resolveIngestSettings({ ...global, watchdog: { ...global.watchdog, ...watchdog } }, camera);
}

async function until(t: TestContext | undefined, what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  void t;
}

interface Kept {
  sequence: number;
  captureTime: number;
  geometry: Frame['geometry'];
  /** Copies of a few pixels: the frame buffer is reused. */
  pictureTopLeft: number[];
  padBottomRight: number[];
  /** sha1 of the whole frame. */
  digest: string;
}

function ingestOf(t: TestContext, url: string, s: IngestSettings, options: { logger?: Logger; width?: number; height?: number; metrics?: ReturnType<typeof createMetricsRegistry> } = {}) {
  const frames: Kept[] = [];
  const ingest = new CameraIngest({
    source: { cameraId: 'cam-1', name: 'Camera 1', url, width: options.width, height: options.height },
    settings: s,
    input: INPUT,
    logger: options.logger ?? silentLogger(),
    metrics: options.metrics,
    onFrame: (f) => {
      const px = (x: number, y: number) => [...f.data.subarray((y * f.geometry.width + x) * 3, (y * f.geometry.width + x) * 3 + 3)];
      frames.push({ sequence: f.sequence, captureTime: f.captureTime, geometry: f.geometry, pictureTopLeft: px(10, 10), padBottomRight: px(f.geometry.width - 1, f.geometry.height - 1), digest: createHash('sha1').update(f.data).digest('hex') });
    },
  });
  t.after(() => ingest.stop());
  return { ingest, frames };
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP forwarder that can freeze: connections stay open but nothing more reaches the client (a stalled camera). */
async function freezingProxy(t: TestContext, target: number): Promise<{ port: number; frozen: boolean }> {
  const state = { port: 0, frozen: false };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => {
      if (!state.frozen) client.write(d);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}

describe('CameraIngest against simulated cameras (real ffmpeg, RTSP over TCP on loopback)', { concurrency: true }, () => {
  let sim: SimulatorHandle;
  let dropping: SimulatorHandle;
  let main: string;
  let sub: string;
  before(async () => {
    const common = { video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: PASSWORD };
    [sim, dropping] = await Promise.all([startSimulator(common), startSimulator({ ...common, dropAfterSeconds: 2 })]);
    main = withCredentials(sim.cameras[0]!.rtsp.main, 'admin', PASSWORD);
    sub = withCredentials(sim.cameras[0]!.rtsp.sub, 'admin', PASSWORD);
  });
  after(() => Promise.all([sim.stop(), dropping.stop()]));

  it('delivers letterboxed frames at the sampling rate with increasing capture times, the picture size read from the stream, no credentials in the log', async (t) => {
    const logs = captureLogs('debug');
    const registry = createMetricsRegistry();
    const { ingest, frames } = ingestOf(t, main, settings({ motion: { enabled: false } }), { logger: logs.logger, metrics: registry });
    ingest.start();
    await until(t, '20 frames', () => frames.length >= 20);
    const stats = ingest.stats();
    assert.equal(stats.state, 'running');
    assert.deepEqual(stats.picture, { width: 768, height: 576 });
    const g = frames[0]!.geometry;
    // 768x576 into 416x416, top-left anchored: 416x312 of picture, rows 312..415 padded with 114.
    assert.deepEqual({ w: g.width, h: g.height, sw: g.sourceWidth, sh: g.sourceHeight, padX: g.padX, padY: g.padY, pf: g.pixelFormat }, { w: 416, h: 416, sw: 768, sh: 576, padX: 0, padY: 0, pf: 'bgr24' });
    assert.equal(g.scale, 416 / 768);
    assert.deepEqual(frames[0]!.padBottomRight, [114, 114, 114]);
    assert.ok(frames.some((f) => f.pictureTopLeft.some((v) => v !== 114)), 'the picture area holds the picture');
    for (let i = 1; i < frames.length; i += 1) {
      assert.ok(frames[i]!.captureTime > frames[i - 1]!.captureTime, 'capture times increase');
      assert.equal(frames[i]!.sequence, frames[i - 1]!.sequence + 1, 'every decoded frame numbered (motion gating off)');
    }
    assert.ok(Math.abs(frames.at(-1)!.captureTime - Date.now()) < 5_000, 'capture times are wall clock epoch milliseconds');
    // The 10 fps clip sampled at 5 fps. The first frames come in a burst (what ffmpeg buffered while it probed the
    // stream), so the rate is measured on the last 10.
    const rate = (10 * 1000) / (frames.at(-1)!.captureTime - frames.at(-11)!.captureTime);
    assert.ok(rate > 3 && rate < 8, `about 5 frames per second, got ${rate.toFixed(2)}`);
    const metrics = await registry.metrics();
    assert.match(metrics, /vigie_frames_decoded_total\{camera="cam-1",app="vigie"\} (\d+)/);
    await ingest.stop();
    assert.equal(ingest.stats().state, 'stopped');
    const text = logs.text();
    assert.ok(!text.includes(PASSWORD), 'the password never reaches the log');
    const argvLine = logs.lines().find((l) => l.msg === 'starting ffmpeg' && Array.isArray(l.argv));
    assert.ok(argvLine, 'the ffmpeg argv is logged');
    assert.ok((argvLine.argv as string[]).some((a) => a.includes('://***@127.0.0.1')), 'with the credentials replaced');
  });

  it('sampling faster than the camera sends gives each of its frames once, never a repeated one (10 fps stream sampled at 30)', async (t) => {
    const { ingest, frames } = ingestOf(t, main, settings({ sampleFps: 30, motion: { enabled: false } }));
    ingest.start();
    await until(t, '40 frames', () => frames.length >= 40);
    const repeats = frames.filter((f, i) => i > 0 && f.digest === frames[i - 1]!.digest).length;
    assert.equal(repeats, 0, 'no frame is the copy of the one before it');
    const last = frames.slice(-21);
    const rate = (20 * 1000) / (last.at(-1)!.captureTime - last[0]!.captureTime);
    assert.ok(rate > 6 && rate < 15, `about the camera's 10 frames per second, not 30: got ${rate.toFixed(2)}`);
  });

  it('follows the stream picture size over a wrong announced one (sub stream 384x288 announced as 768x576)', async (t) => {
    const { ingest, frames } = ingestOf(t, sub, settings({ motion: { enabled: false } }), { width: 768, height: 576 });
    ingest.start();
    await until(t, '3 frames', () => frames.length >= 3);
    const g = frames.at(-1)!.geometry;
    assert.deepEqual([g.sourceWidth, g.sourceHeight, g.scale], [384, 288, 416 / 384]);
    assert.deepEqual(ingest.stats().picture, { width: 384, height: 288 });
  });

  it('motion gating passes moving scenes and skips a still one, except one frame every forceIntervalSeconds', async (t) => {
    const dir = await tempDir(t);
    const still = join(dir, 'still.mp4');
    const made = await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'smptebars=size=320x240:rate=10', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', '-y', still]);
    assert.equal(made.code, 0, made.stderr);
    const stillSim = await startSimulator({ video: still, cacheDir: dir, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: PASSWORD });
    t.after(() => stillSim.stop());
    const force = 1;
    const registry = createMetricsRegistry();
    const stillIngest = ingestOf(t, withCredentials(stillSim.cameras[0]!.rtsp.main, 'admin', PASSWORD), settings({ motion: { forceIntervalSeconds: force } }), { metrics: registry });
    const moving = ingestOf(t, main, settings({ motion: { forceIntervalSeconds: force } }));
    stillIngest.ingest.start();
    moving.ingest.start();
    await until(t, '25 decoded frames of each', () => stillIngest.ingest.stats().decoded >= 25 && moving.ingest.stats().decoded >= 25);
    const s = stillIngest.ingest.stats();
    assert.ok(s.skippedByMotion > 0 && s.passed > 1, `still scene: ${JSON.stringify(s)}`);
    assert.equal(s.passed + s.skippedByMotion, s.decoded);
    const passed = stillIngest.frames;
    for (let i = 1; i < passed.length; i += 1) {
      assert.ok(passed[i]!.captureTime - passed[i - 1]!.captureTime >= force * 1000, 'on a still scene only the forced frames pass, one per interval');
    }
    // At most one forced frame per interval (plus the first): the rest of a still scene is skipped.
    const span = (passed.at(-1)!.captureTime - passed[0]!.captureTime) / 1000;
    assert.ok(s.passed <= Math.floor(span / force) + 1);
    const metrics = await registry.metrics();
    const skipped = Number(/vigie_frames_skipped_motion_total\{camera="cam-1",app="vigie"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(skipped > 0 && skipped <= stillIngest.ingest.stats().skippedByMotion, metrics);
    const m = moving.ingest.stats();
    assert.ok(m.passed > m.skippedByMotion, `the walking people of the sample clip are motion: ${JSON.stringify(m)}`);
  });

  it('reconnects after the camera drops the session (--drop-after), counts restarts and resumes', async (t) => {
    const registry = createMetricsRegistry();
    const { ingest, frames } = ingestOf(t, withCredentials(dropping.cameras[0]!.rtsp.main, 'admin', PASSWORD), settings({ motion: { enabled: false }, watchdog: { backoffInitialSeconds: 0.2, backoffMaxSeconds: 1 } }), { metrics: registry });
    ingest.start();
    await until(t, 'two restarts', () => ingest.stats().restarts >= 2, 40_000);
    const before = frames.length;
    await until(t, 'frames after the restarts', () => ingest.stats().state === 'running' && frames.length >= before + 3, 30_000);
    const stats = ingest.stats();
    assert.equal(stats.lastErrorCode, 'STREAM_FAILED');
    assert.match(stats.lastError ?? '', /ended|timed out|stalled/);
    assert.ok(!stats.lastError?.includes(PASSWORD));
    const metrics = await registry.metrics();
    const restarts = Number(/vigie_ffmpeg_restarts_total\{camera="cam-1",app="vigie"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(restarts >= 2, metrics);
    for (let i = 1; i < frames.length; i += 1) assert.ok(frames[i]!.captureTime > frames[i - 1]!.captureTime && frames[i]!.sequence > frames[i - 1]!.sequence, 'numbering and time go on across reconnections');
  });

  it('the watchdog restarts a stalled stream (connection open, no data) and ingest resumes', async (t) => {
    const proxy = await freezingProxy(t, sim.cameras[0]!.rtspPort);
    const url = new URL(main);
    url.port = String(proxy.port);
    const { ingest, frames } = ingestOf(t, url.href, settings({ motion: { enabled: false }, watchdog: { stallSeconds: 2.5, backoffInitialSeconds: 0.2, backoffMaxSeconds: 1 } }));
    ingest.start();
    await until(t, 'frames', () => frames.length >= 3);
    proxy.frozen = true;
    await until(t, 'the stall', () => ingest.stats().lastError !== undefined);
    const stats = ingest.stats();
    assert.equal(stats.lastErrorCode, 'STREAM_FAILED');
    assert.match(stats.lastError ?? '', /no frame arrived for too long \(no frame for 2.5 s\)/);
    proxy.frozen = false;
    const before = frames.length;
    await until(t, 'frames again', () => frames.length >= before + 3 && ingest.stats().state === 'running');
    assert.ok(ingest.stats().restarts >= 1);
  });

  it('a wrong password gives a clear error, waits before retrying, and never logs the password', async (t) => {
    const logs = captureLogs('debug');
    const wrong = 'Wrong-pa55';
    const { ingest, frames } = ingestOf(t, withCredentials(sim.cameras[0]!.rtsp.main, 'admin', wrong), settings({ watchdog: { backoffInitialSeconds: 0.2, backoffMaxSeconds: 1 } }), { logger: logs.logger });
    ingest.start();
    await until(t, 'the error', () => ingest.stats().lastErrorCode !== undefined);
    const stats = ingest.stats();
    assert.equal(stats.lastErrorCode, 'STREAM_UNAUTHORIZED');
    assert.match(stats.lastError ?? '', /refused the credentials \(401 Unauthorized\)/);
    assert.match(stats.lastErrorHint ?? '', /user name and password/);
    assert.equal(stats.state, 'backoff');
    assert.equal(frames.length, 0);
    await until(t, 'a retry', () => ingest.stats().restarts >= 1);
    await ingest.stop();
    const text = logs.text();
    assert.ok(!text.includes(wrong) && !text.includes(PASSWORD), 'no password in the log');
    assert.ok(logs.lines().some((l) => l.code === 'STREAM_UNAUTHORIZED' && Array.isArray(l.stderr)), 'the failure is logged with the last lines of ffmpeg');
  });
});

describe('CameraIngest failures without a camera', { concurrency: true }, () => {
  it('a dead URL gets a named error, retries with a growing delay, and never throws', async (t) => {
    const port = await closedPort();
    const logs = captureLogs('info');
    const { ingest } = ingestOf(t, `rtsp://admin:${PASSWORD}@127.0.0.1:${port}/stream`, settings({ watchdog: { backoffInitialSeconds: 0.2, backoffMaxSeconds: 0.8 } }), { logger: logs.logger });
    ingest.start();
    await until(t, 'three restarts', () => ingest.stats().restarts >= 3);
    const stats = ingest.stats();
    assert.equal(stats.lastErrorCode, 'STREAM_FAILED');
    assert.match(stats.lastError ?? '', new RegExp(`rtsp://\\*\\*\\*@127\\.0\\.0\\.1:${port}/stream: the connection was refused`));
    const waits = logs.lines().filter((l) => l.code === 'STREAM_FAILED').map((l) => l.retryInSeconds as number);
    assert.ok(waits.length >= 3 && waits[0]! <= 0.25 && waits[2]! > waits[0]!, `growing waits: ${waits.join(', ')}`);
    assert.ok(waits.every((w) => w <= 0.8), 'never above backoffMaxSeconds');
    assert.ok(!logs.text().includes(PASSWORD));
  });

  it('a missing ffmpeg is reported as such', async (t) => {
    const { ingest } = ingestOf(t, 'rtsp://127.0.0.1:1/x', { ...settings({ watchdog: { backoffInitialSeconds: 0.2 } }), ffmpegPath: '/nonexistent/ffmpeg' });
    ingest.start();
    await until(t, 'the error', () => ingest.stats().lastErrorCode !== undefined);
    assert.equal(ingest.stats().lastErrorCode, 'TOOL_MISSING');
  });

  it('stop() ends ffmpeg in stages: q, then SIGTERM, then SIGKILL for a process that ignores both', async (t) => {
    const dir = await tempDir(t);
    const record = join(dir, 'received.txt');
    const fake = join(dir, 'stubborn-ffmpeg');
    await writeFile(
      fake,
      `#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
const note = (s) => appendFileSync(${JSON.stringify(record)}, s + '\\n');
process.on('SIGTERM', () => note('SIGTERM'));
process.stdin.on('data', (d) => { if (d.toString().includes('q')) note('q'); });
note('started');
setInterval(() => {}, 1000);
`,
    );
    await chmod(fake, 0o755);
    const { ingest } = ingestOf(t, 'rtsp://127.0.0.1:1/x', { ...settings(), ffmpegPath: fake });
    ingest.start();
    await until(t, 'the fake ffmpeg to start', () => ingest.stats().state === 'starting' && ingest.stats().pid !== undefined);
    const pid = ingest.stats().pid;
    assert.ok(pid);
    for (let i = 0; i < 100; i += 1) {
      const text = await readFile(record, 'utf8').catch(() => '');
      if (text.includes('started')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await ingest.stop();
    assert.equal(await readFile(record, 'utf8'), 'started\nq\nSIGTERM\n');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the process is gone (SIGKILL)');
    assert.equal(ingest.stats().state, 'stopped');
  });
});
