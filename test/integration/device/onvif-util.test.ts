import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collect, waitForOutput } from '../../support/cli.js';
import { REPO_ROOT } from '../../support/paths.js';
import { run } from '../../support/processes.js';

async function ip(args: string[]): Promise<void> {
  const r = await run('ip', args, { timeoutMs: 10_000 });
  assert.equal(r.code, 0, `ip ${args.join(' ')} failed (network namespaces need root or CAP_NET_ADMIN): ${r.stderr}`);
}

describe('the strict ONVIF client onvif-util (libonvif) against Vigie as a device', () => {
  it('discovers Vigie, reads its device information, stream URI, profiles and time (inside a private network namespace)', async (t) => {
    // onvif-util discovers on every interface, so it runs in a namespace of its own whose only interface is lo.
    const ns = `vigie-test-${randomBytes(4).toString('hex')}`;
    await ip(['netns', 'add', ns]);
    t.after(() => run('ip', ['netns', 'del', ns]));
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', ns, 'route', 'add', '239.0.0.0/8', 'dev', 'lo']);

    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test', 'support', 'device-under-test.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEVICE_PASSWORD: 'util-pw-1' },
      cwd: REPO_ROOT,
    });
    t.after(() => child.kill('SIGKILL'));
    const exited = collect(child, 60_000);
    await waitForOutput(child, /^ready \d+\n/m, 45_000);

    const util = await run('ip', ['netns', 'exec', ns, 'onvif-util', '-u', 'admin', '-p', 'util-pw-1', '127.0.0.1'], { input: 'get rtsp\nget profiles\nget time\nquit\n', timeoutMs: 30_000 });
    assert.doesNotMatch(util.stdout, /ERROR/, util.stdout);
    assert.match(util.stdout, /successfully connected to host/);
    assert.match(util.stdout, /name:\s+Vigie Vigie analytics bridge/);
    assert.match(util.stdout, /^\s+rtsp:\/\/127\.0\.0\.1:8555\/cameras\/entrance$/m);
    assert.match(util.stdout, /Token 0: profile_entrance\n\s+Token 1: profile_platform/);
    assert.match(util.stdout, /Timezone:\s+UTC0/);

    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });
});
