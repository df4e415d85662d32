import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collect, spawnVigie, waitForOutput } from '../../support/cli.js';
import { SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { tempDir } from '../../support/temp.js';

describe('vigie demo', () => {
  it('analyses the sample clip from a simulated camera, prints a live line per second, and stops cleanly on a signal sent as soon as it is ready', async (t) => {
    const dir = await tempDir(t);
    const child = spawnVigie(['demo', '--port', '0'], { env: { VIGIE_ASSET_DIR: SHARED_ASSETS, VIGIE_DB: join(dir, 'state.db'), XDG_CACHE_HOME: join(SIMULATOR_CACHE, '..'), LOG_LEVEL: 'warn' } });
    t.after(() => child.kill('SIGKILL'));
    const exited = collect(child, 90_000);
    const out = await waitForOutput(child, /demo-camera: .*person.* fps analysed \| latency \d+ ms/, 60_000);
    assert.match(out, /video analysis: embedded \(yolox-nano/);
    assert.match(out, /simulated camera "Demo camera 1" streaming the sample clip/);
    child.kill('SIGINT');
    const result = await exited;
    assert.equal(result.code, 0, result.stderr);
  });
});
