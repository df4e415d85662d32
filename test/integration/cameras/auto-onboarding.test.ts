import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie, type VigieHandle } from '../../../src/app/index.js';
import type { CameraEntry, CameraRegistry } from '../../../src/cameras/index.js';
import { configSchema, type VigieConfigInput } from '../../../src/config/index.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { runVigie } from '../../support/cli.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { tempDir } from '../../support/temp.js';
import { closedTcpPort, freeUdpPort } from '../../support/udp.js';

const PASSWORD = 'Site-pw-42';

/** Resolves with the first camera the registry reports `event` for that satisfies `match`. */
function waitFor(registry: CameraRegistry, event: 'online' | 'offline' | 'changed', match: (c: CameraEntry) => boolean, timeoutMs = 45_000): Promise<CameraEntry> {
  const already = event === 'online' ? registry.online().find(match) : undefined;
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      registry.off(event, listener);
      reject(new Error(`no ${event} camera within ${timeoutMs} ms; cameras: ${JSON.stringify(registry.list().map((c) => [c.id, c.state, c.reason]))}`));
    }, timeoutMs);
    const listener = (camera: CameraEntry) => {
      if (!match(camera)) return;
      clearTimeout(timer);
      registry.off(event, listener);
      resolve(camera);
    };
    registry.on(event, listener);
  });
}

function config(dir: string, port: number, extra: Partial<VigieConfigInput> = {}, discovery: Record<string, unknown> = {}) {
  return configSchema.parse({
    server: { host: '127.0.0.1', port: 0, rtspPort: 0 },
    store: { path: join(dir, 'state.db') },
    discovery: {
      auto: true,
      interfaces: ['127.0.0.1'],
      port,
      probeTimeoutSeconds: 1,
      probeIntervalSeconds: 0,
      healthCheckSeconds: 600,
      credentials: [
        { username: 'admin', password: 'not-this-one' },
        { username: 'admin', password: PASSWORD },
      ],
      ...discovery,
    },
    ...extra,
  });
}

describe('cameras at run time: discovery, onboarding, state kept across restarts', () => {
  it('a camera started after Vigie is found by its Hello and onboarded without a restart; Bye marks it offline; a restart restores it with its encrypted password', async (t) => {
    const dir = await tempDir(t);
    const port = await freeUdpPort();
    const key = randomBytes(32).toString('hex');
    const logs = captureLogs('debug');
    let vigie: VigieHandle | undefined = await startVigie({ config: config(dir, port), logger: logs.logger, configFile: undefined, env: { VIGIE_SECRET_KEY: key } });
    t.after(() => vigie?.stop());
    assert.equal(vigie.cameras.list().length, 0);

    // The camera comes up after Vigie: only its Hello can tell Vigie about it.
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discoveryPort: port, password: PASSWORD, auth: 'digest', namePrefix: 'Late camera' });
    t.after(() => sim.stop());
    const camera = sim.cameras[0]!;
    const online = await waitFor(vigie.cameras, 'online', (c) => c.device?.endpoint === camera.endpointReference);
    assert.equal(online.origin, 'discovery');
    assert.equal(online.kind, 'onvif');
    assert.match(online.id, /^late-camera-1-[0-9a-f]{6}$/);
    assert.equal(online.name, 'Late camera 1');
    assert.equal(online.device?.xaddr, camera.deviceServiceUrl);
    assert.equal(online.stream?.uri, camera.rtsp.main);
    assert.equal(online.stream?.profileToken, 'profile_main');
    const withCredentials = new URL(online.stream.url);
    assert.deepEqual([withCredentials.username, decodeURIComponent(withCredentials.password)], ['admin', PASSWORD], 'ingest gets the URL with the credentials that worked');

    // The store keeps it, the password encrypted (AES-256-GCM), never in clear; every step is audited.
    const db = await readFile(join(dir, 'state.db'));
    const wal = await readFile(join(dir, 'state.db-wal')).catch(() => Buffer.alloc(0));
    assert.ok(!db.includes(PASSWORD) && !wal.includes(PASSWORD), 'the password is not stored in clear');
    const row = vigie.store.cameras.get(online.id)!;
    assert.equal(row.passwordStatus, 'readable');
    assert.equal(row.authMode, 'http-digest');
    assert.deepEqual(vigie.store.audit.list().map((r) => r.action).filter((a) => a.startsWith('camera.')), ['camera.discovered', 'camera.onboarded']);
    assert.doesNotMatch(logs.text(), new RegExp(PASSWORD), 'the password is never logged');
    const health = (await (await fetch(`http://127.0.0.1:${vigie.http.port}/health`)).json()) as { cameras: Record<string, number> };
    assert.equal(health.cameras.online, 1);

    // Bye: offline, and the pipeline is told to stop.
    const offline = waitFor(vigie.cameras, 'offline', (c) => c.id === online.id);
    await sim.stop();
    assert.match((await offline).reason ?? '', /said Bye/);

    // Restart while the camera is away: it is restored from the store, offline until it answers.
    await vigie.stop();
    const sim2 = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: camera.httpPort, rtspPort: camera.rtspPort, discoveryPort: port, discovery: false, password: PASSWORD, auth: 'digest', namePrefix: 'Late camera' });
    t.after(() => sim2.stop());
    // The site credentials no longer include the right password: only the stored one can work.
    const wrongOnly = config(dir, port, {}, { credentials: [{ username: 'admin', password: 'not-this-one' }] });
    vigie = await startVigie({ config: wrongOnly, logger: logs.logger, configFile: undefined, env: { VIGIE_SECRET_KEY: key } });
    const restored = await waitFor(vigie.cameras, 'online', (c) => c.id === online.id);
    assert.equal(restored.stream?.uri, camera.rtsp.main);
    assert.equal(new URL(restored.stream.url).password, encodeURIComponent(PASSWORD));

    // Another key: the stored password cannot be read; Vigie says so and onboards with the site credentials.
    await vigie.stop();
    const before = logs.lines().length;
    vigie = await startVigie({ config: config(dir, port), logger: logs.logger, configFile: undefined, env: { VIGIE_SECRET_KEY: randomBytes(32).toString('base64') } });
    await waitFor(vigie.cameras, 'online', (c) => c.id === online.id);
    const mismatch = (logs.lines().slice(before) as Array<{ code?: string; msg: string; hint?: string }>).find((l) => l.code === 'SECRET_KEY_MISMATCH');
    assert.ok(mismatch, 'the key mismatch is logged');
    assert.match(mismatch.msg, /VIGIE_SECRET_KEY does not open the stored camera passwords: 1 stored camera password\(s\) were encrypted with another key/);
    assert.match(mismatch.hint ?? '', /start Vigie with the key used before/);

    // No key: nothing is written, and the new ciphertext is kept for when the key comes back.
    await vigie.stop();
    vigie = await startVigie({ config: config(dir, port), logger: logs.logger, configFile: undefined, env: {} });
    await waitFor(vigie.cameras, 'online', (c) => c.id === online.id);
    assert.equal(vigie.store.cameras.get(online.id)?.passwordStatus, 'no-key');
    await vigie.stop();
    vigie = undefined;

    const store = SqliteStore.open(join(dir, 'state.db'));
    t.after(() => store.close());
    assert.ok(store.audit.verify() > 0, 'the audit chain holds');
    assert.equal(store.cameras.list().length, 1, 'one camera, kept across four restarts');
    assert.doesNotMatch(logs.text(), new RegExp(PASSWORD));

    // Installers see them with `vigie cameras list`, without passwords.
    const list = await runVigie(['cameras', 'list'], { env: { VIGIE_DB: join(dir, 'state.db') } });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+STATE\s+SINCE\s+NAME\s+DEVICE\s+PROFILE\s+STREAM\s+REASON$/m);
    assert.match(list.stdout, new RegExp(`^${online.id}\\s+online\\s+\\S+\\s+Late camera 1\\s+${camera.deviceServiceUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+profile_main 768x576\\s+rtsp://`, 'm'));
    const json = await runVigie(['cameras', 'list', '--json'], { env: { VIGIE_DB: join(dir, 'state.db') } });
    const listed = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(listed.passwordStored, true);
    assert.equal(listed.password, undefined);
    assert.doesNotMatch(json.stdout + list.stdout, new RegExp(PASSWORD));
  });

  it('configured ONVIF cameras: onboarded to the configured profile; a failed health check marks them offline; back online when they answer again', async (t) => {
    const dir = await tempDir(t);
    const [httpPort, rtspPort] = [await closedTcpPort(), await closedTcpPort()];
    const common = { video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort, rtspPort, discovery: false, password: PASSWORD, auth: 'wsse' as const, clockOffsetSeconds: -3600 };
    let sim = await startSimulator(common);
    t.after(() => sim.stop());
    const camera = sim.cameras[0]!;
    const cfg = config(dir, await freeUdpPort(), {
      cameras: [
        { id: 'gate', name: 'Gate', onvif: { url: camera.deviceServiceUrl, username: 'admin', password: PASSWORD, profile: 'profile_sub' } },
        { id: 'hall', rtsp: 'rtsp://viewer:secret@127.0.0.1:9/hall' },
        { id: 'off', enabled: false, rtsp: 'rtsp://127.0.0.1:9/off' },
      ],
    }, { auto: false, healthCheckSeconds: 1 });
    const logs = captureLogs('info');
    const vigie = await startVigie({ config: cfg, logger: logs.logger, configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    assert.deepEqual(vigie.cameras.online().map((c) => [c.id, c.kind, c.stream?.uri]), [['hall', 'rtsp', 'rtsp://127.0.0.1:9/hall']], 'RTSP cameras are online at once, disabled ones absent');

    const gate = await waitFor(vigie.cameras, 'online', (c) => c.id === 'gate');
    assert.equal(gate.name, 'Gate');
    assert.equal(gate.origin, 'config');
    assert.equal(gate.stream?.profileToken, 'profile_sub');
    assert.equal(gate.stream?.uri, camera.rtsp.sub);
    assert.deepEqual([gate.stream?.width, gate.stream?.height, gate.stream?.encoding], [384, 288, 'H264']);

    const offline = waitFor(vigie.cameras, 'offline', (c) => c.id === 'gate');
    await sim.stop();
    assert.match((await offline).reason ?? '', /health check failed: camera http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service is unreachable \(GetSystemDateAndTime\): the connection was refused/);
    sim = await startSimulator(common);
    const back = await waitFor(vigie.cameras, 'online', (c) => c.id === 'gate');
    assert.equal(back.stream?.uri, camera.rtsp.sub);
    assert.deepEqual(vigie.store.audit.list().map((r) => `${r.action} ${r.object}`).filter((a) => a.startsWith('camera.')), ['camera.onboarded gate', 'camera.offline gate', 'camera.onboarded gate']);
    assert.match(logs.text(), /VIGIE_SECRET_KEY is not set: camera passwords are not stored/);
    assert.doesNotMatch(logs.text(), new RegExp(`${PASSWORD}|secret@`));
  });

  it('stopping does not wait for a camera that never answers', async (t) => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      silent.close();
    });
    const port = (silent.address() as { port: number }).port;
    const dir = await tempDir(t);
    const cfg = config(dir, await freeUdpPort(), { cameras: [{ id: 'mute', onvif: { url: `http://127.0.0.1:${port}/onvif/device_service`, username: 'a', password: 'b' } }] }, { auto: false, callTimeoutSeconds: 120 });
    const vigie = await startVigie({ config: cfg, logger: captureLogs('info').logger, configFile: undefined, env: {} });
    assert.equal(vigie.cameras.get('mute')?.state, 'pending');
    await new Promise((r) => setTimeout(r, 300));
    const stopped = await Promise.race([vigie.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting for the camera'), 60_000).unref())]);
    assert.equal(stopped, 'stopped', 'stop() cuts the call in flight instead of waiting for its 120 s deadline');
  });
});
