import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collect, waitForOutput } from '../../support/cli.js';
import { REPO_ROOT, SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';
import { spawn } from 'node:child_process';

async function ip(args: string[]): Promise<void> {
  const r = await run('ip', args, { timeoutMs: 10_000 });
  assert.equal(r.code, 0, `ip ${args.join(' ')} failed (network namespaces need root or CAP_NET_ADMIN): ${r.stderr}`);
}

describe('the strict ONVIF client onvif-util (libonvif) against a simulated camera', () => {
  it('discovers it, reads its stream URI, profiles, encoder settings and time (inside a private network namespace)', async (t) => {
    // onvif-util discovers on every interface, so it runs in a namespace of its own whose only interface is lo.
    const ns = `vigie-test-${randomBytes(4).toString('hex')}`;
    await ip(['netns', 'add', ns]);
    t.after(() => run('ip', ['netns', 'del', ns]));
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', ns, 'route', 'add', '239.0.0.0/8', 'dev', 'lo']);

    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(REPO_ROOT, 'bin', 'vigie.js'), 'simulate', '--video', SAMPLE_CLIP, '--http-port', '0', '--rtsp-port', '0', '--password', 'util-pw', '--cache-dir', SIMULATOR_CACHE], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    t.after(() => child.kill('SIGKILL'));
    const exited = collect(child, 60_000);
    const line = await waitForOutput(child, /^camera 1 .*\n/m, 45_000);
    const main = /main (rtsp:\/\/\S+)/.exec(line)![1]!;

    const util = await run('ip', ['netns', 'exec', ns, 'onvif-util', '-u', 'admin', '-p', 'util-pw', '127.0.0.1'], { input: 'get rtsp\nget profiles\nget video\nget time\nquit\n', timeoutMs: 30_000 });
    assert.doesNotMatch(util.stdout, /ERROR/, util.stdout);
    assert.match(util.stdout, /successfully connected to host/);
    assert.match(util.stdout, new RegExp(`^\\s+${main.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    assert.match(util.stdout, /Token 0: profile_main\n\s+Token 1: profile_sub/);
    assert.match(util.stdout, /768 x 576/);
    assert.match(util.stdout, /Timezone:\s+UTC0/);

    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });
});
