import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startSimulator } from '../../../src/simulator/index.js';
import { collect, runVigie, spawnVigie, waitForOutput } from '../../support/cli.js';
import { SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { until } from '../../support/pipeline-standins.js';
import { cleanRedisPrefix, REDIS_URL } from '../../support/redis.js';
import { tempDir } from '../../support/temp.js';

/** The value of the Prometheus sample `name` with the label `label` (e.g. `camera="a"`), 0 when absent. */
async function metric(port: number, name: string, label: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('vigie run with REDIS_URL and vigie worker processes', () => {
  it('vigie worker refuses to start without Redis, saying what to set', async () => {
    const result = await runVigie(['worker'], { env: { REDIS_URL: '' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /WORKER_NEEDS_REDIS.*REDIS_URL/);
    assert.match(result.stderr, /fix: set REDIS_URL/);
  });

  it('two workers share the camera; killing one mid-run loses no camera and leaves no job stuck; Redis stays small', async (t) => {
    const dir = await tempDir(t);
    const prefix = `vigie-test-${randomBytes(4).toString('hex')}`;
    cleanRedisPrefix(t, prefix);
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'dist-pass' });
    t.after(() => sim.stop());
    const url = new URL(sim.cameras[0]!.rtsp.main);
    url.username = 'admin';
    url.password = 'dist-pass';
    const common = `queue:\n  redisUrl: ${REDIS_URL}\n  prefix: ${prefix}\n  stalledSeconds: 1\n  frameTtlSeconds: 5\nmodels:\n  assetDir: ${SHARED_ASSETS}\ninference:\n  workers: 1\n`;
    await writeFile(join(dir, 'worker.yaml'), common);
    await writeFile(
      join(dir, 'run.yaml'),
      `${common}server:\n  host: 127.0.0.1\n  port: 0\n  rtspPort: 0\nstore:\n  path: ${join(dir, 'state.db')}\ningest:\n  sampleFps: 10\n  motion:\n    enabled: false\ncameras:\n  - id: walkway\n    rtsp: ${url.toString()}\n`,
    );
    const children: ChildProcess[] = [];
    t.after(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
    const startWorker = async () => {
      const child = spawnVigie(['worker', '--config', join(dir, 'worker.yaml'), '--metrics-port', '0']);
      children.push(child);
      const out = await waitForOutput(child, /\/metrics on 127\.0\.0\.1:(\d+)/, 60_000);
      return { child, port: Number(/\/metrics on 127\.0\.0\.1:(\d+)/.exec(out)![1]), exited: collect(child, 120_000) };
    };
    const [w1, w2] = await Promise.all([startWorker(), startWorker()]);
    const run = spawnVigie(['run', '--config', join(dir, 'run.yaml')]);
    children.push(run);
    const runExited = collect(run, 120_000);
    const runOut = await waitForOutput(run, /video analysis: .*\n/, 60_000);
    const runPort = Number(/HTTP server on 127\.0\.0\.1:(\d+)/.exec(runOut)![1]);
    assert.match(runOut, /video analysis: frames of every online camera to Redis/);

    const detected = (port: number) => metric(port, 'vigie_worker_inference_seconds_count', 'outcome="detected"');
    const inferred = () => metric(runPort, 'vigie_frames_inferred_total', 'camera="walkway"');
    await until(async () => (await detected(w1.port)) >= 5 && (await detected(w2.port)) >= 5, 'both workers analysing frames', 60_000).catch(async (error: unknown) => {
      const health = await (await fetch(`http://127.0.0.1:${runPort}/health`)).text();
      throw new Error(`${String(error)}: worker counts ${await detected(w1.port)}, ${await detected(w2.port)}; run: inferred ${await inferred()}, ${health}`);
    });

    // Kill -9 one worker while frames flow.
    w1.child.kill('SIGKILL');
    await w1.exited;
    const before = await inferred();
    await until(async () => (await inferred()) >= before + 20, 'the camera still analysed after the kill', 60_000);

    // No job stuck: every active job is held by a live worker (its lock renewed), a few seconds after the kill.
    const redis = new Redis(REDIS_URL);
    t.after(() => redis.disconnect());
    await new Promise((r) => setTimeout(r, 3000));
    const active = await redis.lrange(`${prefix}:frames:active`, 0, -1);
    for (const id of active) assert.equal(await redis.exists(`${prefix}:frames:${id}:lock`), 1, `active job ${id} is held by a live worker`);
    assert.ok((await redis.llen(`${prefix}:frames:wait`)) <= 2, 'no backlog: at most the frames in flight wait');
    const frameKeys = await redis.keys(`${prefix}:frame:*`);
    assert.ok(frameKeys.length <= 3, `frames in Redis bounded by the frames in flight (${frameKeys.length})`);
    const failed = await redis.zcard(`${prefix}:frames:failed`);
    assert.ok(failed <= 100, 'failed frames are trimmed');

    run.kill('SIGTERM');
    w2.child.kill('SIGTERM');
    const [r, w] = await Promise.all([runExited, w2.exited]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /stopping the inference worker/);
  });
});
