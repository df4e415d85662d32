import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/index.js';
import { collect, runVigie, spawnVigie, waitForOutput } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

describe('vigie command line', () => {
  it('config example passes config check (exit 0)', async (t) => {
    const dir = await tempDir(t);
    const example = await runVigie(['config', 'example']);
    assert.equal(example.code, 0, example.stderr);
    assert.match(example.stdout, /^# vigie\.yaml/);
    await writeFile(join(dir, 'vigie.yaml'), example.stdout);
    const check = await runVigie(['config', 'check', join(dir, 'vigie.yaml')]);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /valid \(2 camera\(s\), 3 rule\(s\), 1 output\(s\)/);
  });

  it('config check of a broken file exits 1 and names each bad path', async (t) => {
    const dir = await tempDir(t);
    await writeFile(
      join(dir, 'bad.yaml'),
      'cameras:\n  - id: a\n    rtsp: rtsp://h/1\n  - id: b\n    rtsp: rtsp://h/2\n    rules:\n      - { type: intrusion, name: z, zone: [[0, 0], [1, 1]] }\nqueue:\n  maxFramesInFlight: 0\n',
    );
    const check = await runVigie(['config', 'check', join(dir, 'bad.yaml')]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /cameras\[1\]\.rules\[0\]\.zone: a polygon needs at least 3 points/);
    assert.match(check.stderr, /queue\.maxFramesInFlight: /);
    assert.doesNotMatch(check.stderr, /\n\s+at /, 'no stack trace');
  });

  it('config check of a missing file exits 1 with the reason', async () => {
    const check = await runVigie(['config', 'check', '/nonexistent/vigie.yaml']);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /cannot read the file \(ENOENT\)/);
  });

  it('run refuses an invalid configuration with every problem listed', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'vigie.yaml'), 'server:\n  port: "eighty"\n');
    const result = await runVigie(['run', '--config', join(dir, 'vigie.yaml')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /CONFIG_INVALID.*\n\s+server\.port: wrong type/);
  });

  it('run serves /health and /metrics, audits start and stop, and stops cleanly on SIGTERM', async (t) => {
    const dir = await tempDir(t);
    const db = join(dir, 'state.db');
    await writeFile(join(dir, 'vigie.yaml'), `server:\n  host: 127.0.0.1\n  port: 0\n  rtspPort: 0\nstore:\n  path: ${db}\n`);
    const child = spawnVigie(['run', '--config', join(dir, 'vigie.yaml')]);
    const exited = collect(child, 30_000);
    const out = await waitForOutput(child, /HTTP server on 127\.0\.0\.1:(\d+)/);
    const port = /HTTP server on 127\.0\.0\.1:(\d+)/.exec(out)![1];
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /nodejs_eventloop_lag_seconds/);
    child.kill('SIGTERM');
    const result = await exited;
    assert.equal(result.code, 0, result.stderr);
    const store = SqliteStore.open(db);
    t.after(() => store.close());
    assert.deepEqual(store.audit.list().map((r) => r.action), ['service.started', 'service.stopped']);
    assert.equal(store.audit.verify(), 2);
  });

  it('run reports a busy port as a clear error', async (t) => {
    const dir = await tempDir(t);
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    await writeFile(join(dir, 'vigie.yaml'), `server:\n  host: 127.0.0.1\n  port: ${port}\n  rtspPort: 0\nstore:\n  path: ${join(dir, 's.db')}\n`);
    const result = await runVigie(['run', '--config', join(dir, 'vigie.yaml')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /LISTEN_FAILED.*already in use/);
  });
});
