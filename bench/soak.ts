/**
 * Soak of the distributed mode: `vigie run` with REDIS_URL analysing simulated cameras (the sample clip, motion
 * gating off so every sampled frame is queued) and two `vigie worker` processes, for `--seconds` (default 120).
 * One worker is killed (SIGKILL) a third of the way in and a fresh one started at two thirds. Redis memory
 * (`used_memory`) and the keys under the run's prefix are sampled every 2 s: the figure that matters is that they
 * stay flat (frames are keys with a TTL, jobs are removed on completion, result streams are capped).
 *
 *   npm run bench:soak -- [--json] [--seconds 120] [--cameras 2]
 *
 * Last line: one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logging/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { REPO_ROOT, SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../test/support/paths.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const JSON_OUT = args.includes('--json');
const SECONDS = Number(option('seconds', '120'));
const CAMERAS = Number(option('cameras', '2'));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const say = (line: string) => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;

const prefix = `vigie-soak-${randomBytes(4).toString('hex')}`;
const dir = await mkdtemp(join(tmpdir(), 'vigie-soak-'));
const simulator = await startSimulator({ video: SAMPLE_CLIP, cameras: CAMERAS, httpPort: 0, rtspPort: 0, discovery: false, cacheDir: SIMULATOR_CACHE, logger: createLogger({ level: 'warn' }) });
const common = `queue:\n  redisUrl: ${REDIS_URL}\n  prefix: ${prefix}\n  stalledSeconds: 2\nmodels:\n  assetDir: ${process.env.VIGIE_ASSET_DIR ?? SHARED_ASSETS}\ninference:\n  workers: 1\n`;
const cameras = simulator.cameras
  .map((c, i) => {
    const url = new URL(c.rtsp.main);
    url.username = 'admin';
    url.password = 'admin';
    return `  - id: soak-${i + 1}\n    rtsp: ${url.toString()}\n`;
  })
  .join('');
await writeFile(join(dir, 'worker.yaml'), common);
await writeFile(join(dir, 'run.yaml'), `${common}server:\n  host: 127.0.0.1\n  port: 0\nstore:\n  path: ${join(dir, 'state.db')}\ningest:\n  motion:\n    enabled: false\ncameras:\n${cameras}`);

function start(command: string[], ready: RegExp): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'vigie.js'), ...command], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve({ child, out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`vigie ${command[0]} exited (${code}): ${out}`)));
  });
}

const workers = [await start(['worker', '--config', join(dir, 'worker.yaml')], /running/), await start(['worker', '--config', join(dir, 'worker.yaml')], /running/)];
const run = await start(['run', '--config', join(dir, 'run.yaml')], /video analysis: .*\n/);
const port = Number(/HTTP server on 127\.0\.0\.1:(\d+)/.exec(run.out)![1]);
const redis = new Redis(REDIS_URL);

async function inferredPerCamera(): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^vigie_frames_inferred_total\{.*camera="([^"]+)".*\} (\d+)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

async function prefixKeys(): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

say(`soak: ${CAMERAS} camera(s), 2 workers, ${SECONDS} s; worker 1 killed at ${Math.round(SECONDS / 3)} s, a new one started at ${Math.round((2 * SECONDS) / 3)} s`);
const samples: { t: number; memory: number; keys: number }[] = [];
const thirds: Record<string, number>[] = [await inferredPerCamera()];
const t0 = Date.now();
let killed = false;
let replaced = false;
while (Date.now() - t0 < SECONDS * 1000) {
  const t = (Date.now() - t0) / 1000;
  const info = await redis.info('memory');
  samples.push({ t, memory: Number(/used_memory:(\d+)/.exec(info)?.[1]), keys: await prefixKeys() });
  if (!killed && t >= SECONDS / 3) {
    killed = true;
    workers[0]!.child.kill('SIGKILL');
    thirds.push(await inferredPerCamera());
    say(`  ${Math.round(t)} s: worker 1 killed`);
  }
  if (!replaced && t >= (2 * SECONDS) / 3) {
    replaced = true;
    workers.push(await start(['worker', '--config', join(dir, 'worker.yaml')], /running/));
    thirds.push(await inferredPerCamera());
    say(`  ${Math.round(t)} s: a new worker started`);
  }
  await sleep(2000);
}
thirds.push(await inferredPerCamera());
await sleep(3000); // past the stalled interval
const active = await redis.lrange(`${prefix}:frames:active`, 0, -1);
let stuck = 0;
for (const id of active) if (!(await redis.exists(`${prefix}:frames:${id}:lock`))) stuck++;

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
for (const w of [run, ...workers]) if (alive(w.child)) w.child.kill('SIGTERM');
await Promise.all([run, ...workers].map((w) => (alive(w.child) ? new Promise((r) => w.child.once('exit', r)) : Promise.resolve())));
await simulator.stop();
let cursor = '0';
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = next;
  if (keys.length) await redis.del(...keys);
} while (cursor !== '0');
redis.disconnect();
await rm(dir, { recursive: true, force: true });

const half = samples.filter((s) => s.t >= SECONDS / 2);
const perThird = thirds.slice(1).map((now, i) => Object.fromEntries(Object.entries(now).map(([camera, n]) => [camera, n - (thirds[i]![camera] ?? 0)])));
const result = {
  seconds: SECONDS,
  cameras: CAMERAS,
  redis_used_memory_first_mb: mb(samples[0]!.memory),
  redis_used_memory_max_mb: mb(Math.max(...samples.map((s) => s.memory))),
  redis_used_memory_last_mb: mb(samples[samples.length - 1]!.memory),
  redis_used_memory_second_half_spread_mb: mb(Math.max(...half.map((s) => s.memory)) - Math.min(...half.map((s) => s.memory))),
  prefix_keys_max: Math.max(...samples.map((s) => s.keys)),
  prefix_keys_last: samples[samples.length - 1]!.keys,
  inferred_per_camera_by_third: perThird,
  cameras_lost: perThird.flatMap((third) => Object.values(third)).filter((n) => n === 0).length,
  stuck_jobs: stuck,
  load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
};
say(`Redis used_memory ${result.redis_used_memory_first_mb} → max ${result.redis_used_memory_max_mb} → last ${result.redis_used_memory_last_mb} MB; keys max ${result.prefix_keys_max}; stuck jobs ${stuck}`);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
