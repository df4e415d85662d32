import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../../src/store/index.js';
import { collect, waitForOutput } from '../../support/cli.js';
import { REPO_ROOT, SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { tempDir } from '../../support/temp.js';

async function ip(args: string[]): Promise<void> {
  const r = await run('ip', args, { timeoutMs: 10_000 });
  assert.equal(r.code, 0, `ip ${args.join(' ')} failed (network namespaces need root or CAP_NET_ADMIN): ${r.stderr}`);
}

function vigieIn(ns: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, join(REPO_ROOT, 'bin', 'vigie.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', ...env } });
}

describe('vigie run with discovery.auto, on the standard WS-Discovery port in a private network namespace', () => {
  it('a camera started after vigie run is found by its Hello and onboarded without a restart', async (t) => {
    // The namespace has only its own loopback: port 3702 there is Vigie's and the simulator's alone.
    const ns = `vigie-t4-${randomBytes(4).toString('hex')}`;
    await ip(['netns', 'add', ns]);
    t.after(() => run('ip', ['netns', 'del', ns]));
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    const dir = await tempDir(t);
    const db = join(dir, 'state.db');
    await writeFile(
      join(dir, 'vigie.yaml'),
      [
        'server: { host: 127.0.0.1, port: 0, rtspPort: 0 }',
        `store: { path: ${db} }`,
        'discovery:',
        '  auto: true',
        '  interfaces: [127.0.0.1]',
        '  probeTimeoutSeconds: 1',
        '  credentials:',
        '    - { username: admin, password: first-guess }',
        '    - { username: admin, password: Netns-pw-1 }',
        '',
      ].join('\n'),
    );
    const vigie = vigieIn(ns, ['run', '--config', join(dir, 'vigie.yaml')], { VIGIE_SECRET_KEY: randomBytes(32).toString('hex') });
    t.after(() => vigie.kill('SIGKILL'));
    const vigieExit = collect(vigie, 120_000);
    await waitForOutput(vigie, /WS-Discovery probe done|Vigie started/, 60_000);

    const sim = vigieIn(ns, ['simulate', '--video', SAMPLE_CLIP, '--http-port', '0', '--rtsp-port', '0', '--password', 'Netns-pw-1', '--json', '--cache-dir', SIMULATOR_CACHE]);
    t.after(() => sim.kill('SIGKILL'));
    const simExit = collect(sim, 120_000);
    const line = await waitForOutput(sim, /\{"index":1[^\n]*\n/, 60_000);
    const camera = JSON.parse(/\{"index":1[^\n]*/.exec(line)![0]) as { endpointReference: string; deviceServiceUrl: string; rtsp: { main: string } };

    await waitForOutput(vigie, /"msg":"camera onboarded"/, 60_000);

    // In the namespace, port 3702 is ours alone: unicast probes to the standard port reach the camera.
    const unicast = await run('ip', ['netns', 'exec', ns, process.execPath, join(REPO_ROOT, 'bin', 'vigie.js'), 'discover', '--target', '127.0.0.1', '--json', '--timeout', '1.5'], { timeoutMs: 60_000 });
    assert.equal(unicast.code, 0, unicast.stderr);
    const answer = JSON.parse(unicast.stdout.trim()) as { endpointReference: string; xaddr: string; via: string };
    assert.deepEqual([answer.endpointReference, answer.xaddr, answer.via], [camera.endpointReference, camera.deviceServiceUrl, 'unicast']);
    const offline = waitForOutput(vigie, /"msg":"camera offline"/, 30_000);
    sim.kill('SIGTERM');
    assert.equal((await simExit).code, 0);
    await offline;
    vigie.kill('SIGTERM');
    const result = await vigieExit;
    assert.equal(result.code, 0, result.stderr);

    const lines = result.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; camera?: string; stream?: string; xaddr?: string; via?: string; endpoint?: string });
    const discovered = lines.find((l) => l.msg === 'ONVIF camera discovered');
    assert.equal(discovered?.via, 'hello', 'found by its Hello');
    assert.equal(discovered?.endpoint, camera.endpointReference);
    const done = lines.find((l) => l.msg === 'camera onboarded');
    assert.equal(done?.camera, discovered?.camera);
    assert.equal(done?.stream, camera.rtsp.main);
    assert.equal(done?.xaddr, camera.deviceServiceUrl);
    assert.doesNotMatch(result.stderr, /Netns-pw-1|first-guess/, 'no password in the log');
    const store = SqliteStore.open(db);
    t.after(() => store.close());
    const [row] = store.cameras.list();
    assert.equal(row?.endpoint, camera.endpointReference);
    assert.equal(row?.streamUri, camera.rtsp.main);
    assert.equal(row?.username, 'admin');
    assert.deepEqual(
      store.audit.list().map((r) => r.action),
      ['service.started', 'camera.discovered', 'camera.onboarded', 'camera.offline', 'service.stopped'],
      'the Bye of the simulator, stopped first, took it offline',
    );
  });
});
