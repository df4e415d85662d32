/**
 * Delivery benchmark: events per second through Vigie's delivery (publish → SQLite outbox → webhook plugin →
 * local receiver) against a bare HTTP POST loop with the same HTTP client, the same concurrency, the same body size
 * and the same receiver, measured in the same run: paired rounds, `ratio` is the median of the per-round ratios
 * (robust to load from other processes drifting between rounds), with the spread.
 * Vigie runs as `vigie run` does: its hot-path SQLite writes (events at publish, delivered marks, audit records) on
 * the delivery writer thread, everything else (publisher, dispatcher, plugin, HTTP client) and the receiver on the
 * main thread; the bare loop and the receiver share that main thread.
 * Latency: publish to acceptance by the receiver at a steady, unsaturated rate.
 * End-to-end latency: the whole bridge (`startVigie`, embedded, no Redis) on a simulated camera streaming the sample
 * clip over loopback RTSP, an intrusion zone over the walkway and a webhook output to the same receiver; for every
 * event accepted, arrival − the event's frameTime (capture time of the frame that raised it), for --e2e-seconds.
 *   npm run bench:delivery -- [--json] [--events N] [--rounds R] [--concurrency C] [--cameras K]
 *                              [--e2e-seconds S] [--assets DIR]
 * Last line: one JSON object.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startVigie } from '../src/app/index.js';
import { configSchema } from '../src/config/index.js';
import { createLogger } from '../src/logging/index.js';
import { NodeHttpClient, startDelivery } from '../src/publish/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { SqliteStore } from '../src/store/index.js';
import { makeEvent } from '../test/support/events.js';
import { SHARED_ASSETS, SIMULATOR_CACHE } from '../test/support/paths.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    events: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '4' },
    cameras: { type: 'string', default: '8' },
    rate: { type: 'string', default: '50' },
    'e2e-seconds': { type: 'string', default: '30' },
    assets: { type: 'string', default: process.env.VIGIE_ASSET_DIR ?? SHARED_ASSETS },
  },
});
const E2E_SECONDS = Number(values['e2e-seconds']);
const ASSETS = values.assets;
/** The intrusion zone over the walkway of the sample clip (as in test/integration/analytics/clip-pipeline.test.ts). */
const WALKWAY = [[0, 0.33], [0.5, 0.35], [0.9, 0.33], [1, 0.45], [1, 0.86], [0.4, 0.62], [0, 0.42]];
const N = Number(values.events);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);
const CAMERAS = Number(values.cameras);
const RATE = Number(values.rate);
const say = (line: string) => process.stderr.write(`${line}\n`);

/** The receiver both sides post to: reads the body, parses it, answers 204, remembers when each id arrived. */
class Receiver {
  readonly arrivals = new Map<string, number>();
  /** When on (the end-to-end run only), each accepted event's frameTime (ms since the epoch) beside its arrival. */
  recordFrameTimes = false;
  readonly frames: { frameTime: number; arrival: number }[] = [];
  count = 0;
  private server: Server | undefined;
  port = 0;
  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        const arrival = performance.timeOrigin + performance.now();
        const parsed = JSON.parse(body) as { id: string; data?: { frameTime?: string } };
        this.arrivals.set(parsed.id, arrival);
        if (this.recordFrameTimes && parsed.data?.frameTime) this.frames.push({ frameTime: Date.parse(parsed.data.frameTime), arrival });
        this.count++;
        res.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }
  reset() {
    this.arrivals.clear();
    this.frames.length = 0;
    this.count = 0;
  }
  close() {
    this.server?.closeAllConnections();
    return new Promise<void>((r) => this.server!.close(() => r()));
  }
}

async function waitUntil(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 2));
}

/**
 * Bare loop: `loops` workers (the sink's concurrency, or 1 for a single sequential loop) POSTing N CloudEvent-sized
 * bodies, built beforehand, with the client the webhook plugin uses.
 */
async function baseline(receiver: Receiver, loops = CONCURRENCY): Promise<number> {
  const client = new NodeHttpClient({ timeoutSeconds: 10, userAgent: 'bench' });
  const bodies = Array.from({ length: N }, (_, i) => JSON.stringify({ specversion: '1.0', id: `b${i}`, source: 'urn:bench', type: 't', data: makeEvent() }));
  receiver.reset();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < N) {
        const body = bodies[next++]!;
        const response = await client.request({ method: 'POST', url: `http://127.0.0.1:${receiver.port}/`, headers: { 'content-type': 'application/cloudevents+json' }, body });
        if (response.status !== 204) throw new Error(`baseline got HTTP ${response.status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return N / seconds;
}

async function withDelivery<T>(receiver: Receiver, work: (publish: (e: ReturnType<typeof makeEvent>) => Promise<unknown>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-bench-'));
  const config = configSchema.parse({
    outputs: [{ type: 'webhook', name: 'bench', url: `http://127.0.0.1:${receiver.port}/`, secret: 'bench-secret-0123456789' }],
    delivery: { concurrency: CONCURRENCY },
    store: { path: join(dir, 'vigie.db') },
  });
  const store = SqliteStore.open(config.store.path);
  const delivery = await startDelivery({ config, store, logger: createLogger({ level: 'warn' }), version: 'bench' });
  try {
    return await work((e) => delivery.events.publish(e));
  } finally {
    await delivery.stop();
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * N events from K cameras published as fast as publish() acknowledges them, one event per camera at a time (as the
 * rules stage hands over the events of analysed frames); rate = N / (first publish → last accepted).
 */
async function throughput(receiver: Receiver): Promise<number> {
  const events = Array.from({ length: N }, (_, i) => makeEvent({ cameraId: `cam-${(i % CAMERAS) + 1}`, sequence: Math.floor(i / CAMERAS) + 1 }));
  receiver.reset();
  return withDelivery(receiver, async (publish) => {
    const started = performance.now();
    for (let i = 0; i < N; i += CAMERAS) await Promise.all(events.slice(i, i + CAMERAS).map(publish));
    await waitUntil(() => receiver.count >= N);
    return N / ((performance.now() - started) / 1000);
  });
}

/** Publish-to-accepted latency at a steady rate below saturation (frameTime is set at publish). */
async function latency(receiver: Receiver): Promise<{ p50: number; p95: number; samples: number }> {
  const count = RATE * 5;
  receiver.reset();
  const published = new Map<string, number>();
  await withDelivery(receiver, async (publish) => {
    for (let i = 0; i < count; i++) {
      const at = performance.timeOrigin + performance.now();
      const event = makeEvent({ cameraId: `cam-${(i % CAMERAS) + 1}`, sequence: i + 1, frameTime: new Date(at).toISOString() });
      published.set(event.id, at);
      await publish(event);
      await new Promise((r) => setTimeout(r, 1000 / RATE));
    }
    await waitUntil(() => receiver.count >= count);
  });
  const samples = [...published].map(([id, at]) => receiver.arrivals.get(id)! - at).sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { p50: round(pct(0.5)), p95: round(pct(0.95)), samples: samples.length };
}

type E2e = { p50: number | null; p95: number | null; events: number; note: string };

/**
 * Frame capture → accepted: a simulated camera streams the sample clip (loopback RTSP, real time), the whole bridge
 * runs embedded (no Redis) with an intrusion zone over the walkway and a webhook output to the receiver, for
 * E2E_SECONDS once frames flow. Latency per accepted event = arrival − frameTime.
 */
async function endToEnd(receiver: Receiver): Promise<E2e> {
  const model = join(ASSETS, 'models', 'yolox_nano.onnx');
  const clip = join(ASSETS, 'video', 'vtest-h264.mp4');
  const missing = [model, clip].filter((f) => !existsSync(f));
  if (missing.length > 0) return { p50: null, p95: null, events: 0, note: `asset missing (${missing.join(', ')}): pass --assets DIR or set VIGIE_ASSET_DIR` };
  const dir = await mkdtemp(join(tmpdir(), 'vigie-bench-e2e-'));
  const sim = await startSimulator({ video: clip, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'bench-pass' });
  try {
    const url = new URL(sim.cameras[0]!.rtsp.main);
    url.username = 'admin';
    url.password = 'bench-pass';
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0 },
      store: { path: join(dir, 'vigie.db') },
      models: { assetDir: ASSETS },
      inference: { workers: 1 },
      outputs: [{ type: 'webhook', name: 'bench', url: `http://127.0.0.1:${receiver.port}/`, secret: 'bench-secret-0123456789' }],
      cameras: [{ id: 'walkway', rtsp: url.toString(), rules: [{ type: 'intrusion', name: 'walkway', zone: WALKWAY, minDwellSeconds: 0.5 }] }],
    });
    receiver.reset();
    receiver.recordFrameTimes = true;
    const vigie = await startVigie({ config, logger: createLogger({ level: 'warn' }), configFile: undefined, env: {} });
    try {
      if (!vigie.pipeline) return { p50: null, p95: null, events: 0, note: `pipeline not running: ${vigie.describe().join('; ')}` };
      let firstFrame: number | undefined;
      vigie.pipeline.onDetections(() => (firstFrame ??= performance.now()));
      const startedWaiting = performance.now();
      await waitUntil(() => firstFrame !== undefined || performance.now() - startedWaiting > 60_000);
      if (firstFrame === undefined) return { p50: null, p95: null, events: 0, note: 'no frame analysed within 60 s' };
      await new Promise((r) => setTimeout(r, E2E_SECONDS * 1000));
    } finally {
      await vigie.stop();
    }
  } finally {
    receiver.recordFrameTimes = false;
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const samples = receiver.frames.map((f) => f.arrival - f.frameTime).sort((a, b) => a - b);
  const note = `sample clip, 1 simulated camera over loopback RTSP, embedded pipeline (no Redis), intrusion zone over the walkway, ${E2E_SECONDS} s`;
  if (samples.length === 0) return { p50: null, p95: null, events: 0, note: `${note}: no event accepted` };
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { p50: round(pct(0.5)), p95: round(pct(0.95)), events: samples.length, note };
}

const round = (v: number) => Math.round(v * 10) / 10;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const receiver = await new Receiver().start();
try {
  await baseline(receiver); // warm-up: JIT, sockets
  await throughput(receiver);
  const bare: number[] = [];
  const vigie: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // paired rounds, alternating which goes first, so load from other processes drifts into both alike
    if (r % 2 === 0) {
      bare.push(await baseline(receiver));
      vigie.push(await throughput(receiver));
    } else {
      vigie.push(await throughput(receiver));
      bare.push(await baseline(receiver));
    }
    ratios.push(vigie.at(-1)! / bare.at(-1)!);
    say(`round ${r + 1}: bare POST loop ${bare.at(-1)!.toFixed(0)}/s, through Vigie's webhook sink ${vigie.at(-1)!.toFixed(0)}/s, ratio ${ratios.at(-1)!.toFixed(3)}`);
  }
  const sequential: number[] = [];
  for (let r = 0; r < Math.min(3, ROUNDS); r++) sequential.push(await baseline(receiver, 1));
  const lat = await latency(receiver);
  say(`delivery latency (publish → accepted) at ${RATE} events/s: p50 ${lat.p50} ms, p95 ${lat.p95} ms`);
  const e2e = await endToEnd(receiver);
  say(`end-to-end latency (frame capture → accepted): p50 ${e2e.p50} ms, p95 ${e2e.p95} ms over ${e2e.events} events (${e2e.note})`);
  const result = {
    events: N,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    cameras: CAMERAS,
    events_per_s: round(median(vigie)),
    baseline_events_per_s: round(median(bare)),
    ratio: Math.round(median(ratios) * 1000) / 1000,
    ratio_spread: [Math.round(Math.min(...ratios) * 1000) / 1000, Math.round(Math.max(...ratios) * 1000) / 1000],
    // the same bare POST loop, one request at a time (no concurrency), for context
    baseline_sequential_events_per_s: round(median(sequential)),
    ratio_vs_sequential_loop: Math.round((median(vigie) / median(sequential)) * 1000) / 1000,
    events_per_s_spread: [round(Math.min(...vigie)), round(Math.max(...vigie))],
    baseline_events_per_s_spread: [round(Math.min(...bare)), round(Math.max(...bare))],
    delivery_latency_p50_ms: lat.p50,
    delivery_latency_p95_ms: lat.p95,
    delivery_latency_rate_per_s: RATE,
    // frame capture (the event's frameTime) on a simulated camera → accepted by the receiver, through the whole bridge
    e2e_latency_p50_ms: e2e.p50,
    e2e_latency_p95_ms: e2e.p95,
    e2e_events: e2e.events,
    e2e_note: e2e.note,
  };
  if (!values.json) say(JSON.stringify(result, null, 2));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await receiver.close();
}
