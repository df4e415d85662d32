import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { collect, runVigie, spawnVigie, waitForOutput } from '../../support/cli.js';
import { waitFor } from '../../support/delivery.js';
import { makeEvent } from '../../support/events.js';
import { GenetecWebSdk } from '../../support/standins/genetec-web-sdk.js';
import { MilestoneEventServer } from '../../support/standins/milestone-event-server.js';
import { tempDir } from '../../support/temp.js';

describe('delivery from the command line', () => {
  it('config check reports each output plugin problem by path, with the fix, alongside the other problems', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'vigie.yaml');
    await writeFile(
      file,
      stringify({
        server: { prot: 1 },
        outputs: [
          { type: 'fax', url: 'tel:1' },
          { type: 'webhook' },
          { type: 'genetec', url: 'https://gsc:4590/WebSdk', username: 'op', pasword: 'x', customEventId: 5000 },
          { type: 'mqtt', url: 'mqtt://broker:1883', qos: 3 },
          { type: 'milestone', url: 'http://es:9090/', eventName: 'Vigie {typo}' },
        ],
      }),
    );
    const check = await runVigie(['config', 'check', file]);
    assert.equal(check.code, 1);
    for (const expected of [
      /server\.prot: unknown field: did you mean "port"/,
      /outputs\[0\]\.type: unknown output type: use one of milestone, milestone-generic, genetec, nx, webhook, mqtt/,
      /outputs\[1\]\.url: missing: this field is required/,
      /outputs\[2\]\.applicationId: missing: this field is required/,
      /outputs\[2\]\.pasword: unknown field: did you mean "password"\?/,
      /outputs\[3\]\.qos: qos is 0, 1 or 2/,
      /outputs\[4\]\.eventName: unknown placeholder \{typo\}/,
    ]) {
      assert.match(check.stderr, expected);
    }
  });

  it('outputs check verifies reachability and credentials without raising events, naming the fix', async (t) => {
    const dir = await tempDir(t);
    const milestone = await new MilestoneEventServer(['Vigie: Intrusion in a forbidden zone']).start();
    const camera = '8a2b3c4d-1111-4222-8333-944455556666';
    const genetec = await new GenetecWebSdk({ username: 'vigie', applicationId: 'app', password: 'right' }, new Set([5000]), new Set([camera])).start();
    t.after(() => Promise.all([milestone.close(), genetec.close()]));
    const file = join(dir, 'vigie.yaml');
    await writeFile(
      file,
      stringify({
        store: { path: join(dir, 'vigie.db') },
        outputs: [
          { type: 'milestone', name: 'xprotect', url: milestone.url },
          { type: 'genetec', name: 'gsc', url: genetec.url, username: 'vigie', applicationId: 'app', password: 'wrong', customEventId: 5000, cameraGuids: { hall: camera } },
          { type: 'webhook', name: 'hook', url: 'http://127.0.0.1:9/' },
        ],
      }),
    );
    const result = await runVigie(['outputs', 'check', '-c', file]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /xprotect \(milestone\): ok: the Analytics Events port 127\.0\.0\.1:\d+ accepts connections/);
    assert.match(result.stdout, /gsc \(genetec\): FAILED \[SINK_AUTH_FAILED\] .*HTTP 401\n {2}fix: check outputs\[1\]\.username, password and applicationId/);
    assert.match(result.stdout, /hook \(webhook\): ok: this plugin has no active check/);
    assert.ok(!result.stdout.includes('wrong') && !result.stderr.includes('wrong'), 'no password in the output');
    assert.equal(milestone.documents.length + genetec.raised.length, 0, 'nothing raised');
  });

  it('vigie run delivers what `vigie events publish` queues, and /health shows a Milestone configuration error', async (t) => {
    const dir = await tempDir(t);
    const milestone = await new MilestoneEventServer([]).start();
    t.after(() => milestone.close());
    const file = join(dir, 'vigie.yaml');
    await writeFile(
      file,
      stringify({
        server: { host: '127.0.0.1', port: 0, rtspPort: 0 },
        store: { path: join(dir, 'vigie.db') },
        delivery: { pollSeconds: 0.2, holdSeconds: 0.5 },
        outputs: [{ type: 'milestone', name: 'xprotect', url: milestone.url, eventName: 'Vigie alarm' }],
      }),
    );
    const run = spawnVigie(['run', '-c', file]);
    t.after(() => run.kill('SIGKILL'));
    let log = '';
    run.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const started = await waitForOutput(run, /delivery \(SQLite outbox\) to xprotect \(milestone\)/);
    const port = /HTTP server on 127\.0\.0\.1:(\d+)/.exec(started)![1];

    const events = [makeEvent({ sequence: 1 }), makeEvent({ sequence: 2 })];
    await writeFile(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const publish = await runVigie(['events', 'publish', join(dir, 'events.jsonl'), '-c', file, '--by', 'integrator']);
    assert.equal(publish.code, 0, publish.stderr);
    assert.match(publish.stdout, /published 2 event\(s\)/);

    let health: { status: string; outputs: { name: string; state: string; pending: number; lastError?: { message: string; hint: string } }[] } | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as typeof health;
      if (health!.outputs[0]!.state === 'misconfigured') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(health!.status, 'degraded');
    assert.equal(health!.outputs[0]!.state, 'misconfigured');
    assert.equal(health!.outputs[0]!.pending, 2);
    assert.match(health!.outputs[0]!.lastError!.message, /does not know the Analytics Event "Vigie alarm"/);
    assert.match(health!.outputs[0]!.lastError!.hint, /name it exactly "Vigie alarm"/);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /vigie_delivery_attempts_total\{[^}]*output="xprotect"[^}]*outcome="hold"[^}]*\} [1-9]/);
    assert.match(metrics, /vigie_outbox_pending\{[^}]*output="xprotect"[^}]*\} 2/);
    assert.match(metrics, /vigie_output_up\{[^}]*output="xprotect"[^}]*\} 0/);

    milestone.defined.add('Vigie alarm');
    await waitFor(() => milestone.raised().length === 2, 'both events raised once the Analytics Event exists');
    run.kill('SIGTERM');
    const exit = await collect(run, 15_000);
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(log, /"level":"error".*output xprotect: configuration error: .*\\"Vigie alarm\\"/, 'the log says it too');
  });
});
