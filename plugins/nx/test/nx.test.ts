import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { SinkAuthError, SinkConfigError } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { NxServer } from '../../../test/support/standins/nx-server.js';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import plugin from '../index.js';

const USER = { username: 'vigie', password: 'Nx-pass-123' };
const NX_CAMERA = '3a4b5c6d-0000-4000-8000-00000000abcd';

async function nx(t: TestContext, mode: 'modern' | 'legacy') {
  const tls = await selfSignedCertificate(t);
  const server = await new NxServer(mode, tls, USER).start();
  t.after(() => server.close());
  return { server, tls };
}

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn(t) {
    const { server, tls } = await nx(t, 'modern');
    return { config: { url: server.url, ...USER, tls: { ca: tls.cert } }, accepted: () => server.events.length, contacts: () => server.requests, close: () => server.close() };
  },
  unreachable: (config, port) => ({ ...config, url: `https://127.0.0.1:${port}` }),
  secrets: (config) => [String(config.password)],
});

describe('Nx Witness wire format', () => {
  function sinkFor(server: NxServer, config: Record<string, unknown>, t: TestContext) {
    const { context, close, logText } = pluginTestContext({ type: 'nx' });
    const sink = plugin.createSink(plugin.configSchema.parse({ url: server.url, ...USER, ...config }), context);
    t.after(async () => {
      await sink.stop?.();
      close();
    });
    return { sink, logText };
  }
  const send = (sink: ReturnType<typeof plugin.createSink>, event = makeEvent()) => sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline() });

  it('v4: logs in for a token, posts generic events started/stopped with the camera, logs in again after a 401', async (t) => {
    const { server, tls } = await nx(t, 'modern');
    const { sink } = sinkFor(server, { tls: { ca: tls.cert }, cameraIds: { entrance: NX_CAMERA }, source: 'Vigie gare' }, t);
    const start = makeEvent();
    await send(sink, start);
    server.expireTokens();
    await send(sink, makeEvent({ state: 'end', frameTime: '2026-11-28T10:15:31.000Z' }));
    await send(sink, makeEvent({ state: 'update' }));
    assert.equal(server.logins, 2, 'a second login after the token expired');
    assert.deepEqual(
      server.events.map((e) => [e.api, e.state, e.source, e.deviceIds]),
      [
        ['v4', 'started', 'Vigie gare', [NX_CAMERA]],
        ['v4', 'stopped', 'Vigie gare', [NX_CAMERA]],
      ],
    );
    assert.equal(server.events[0]!.timestamp, String(Date.parse(start.frameTime)));
    assert.equal(server.events[0]!.caption, 'Intrusion in a forbidden zone');
    assert.equal(server.events[1]!.timestamp, String(Date.parse('2026-11-28T10:15:31.000Z')));
    await sink.stop?.();
    assert.equal(server.tokens.size, 0, 'the session is closed at stop');
  });

  it('legacy servers: auto mode falls back to /api/createEvent with HTTP Digest and cameraRefs metadata', async (t) => {
    const { server, tls } = await nx(t, 'legacy');
    const { sink, logText } = sinkFor(server, { tls: { ca: tls.cert }, cameraIds: { entrance: NX_CAMERA } }, t);
    await send(sink);
    await send(sink, makeEvent({ state: 'end' }));
    assert.deepEqual(server.events.map((e) => [e.api, e.state, e.deviceIds]), [
      ['legacy', 'started', [NX_CAMERA]],
      ['legacy', 'stopped', [NX_CAMERA]],
    ]);
    assert.match(logText(), /using the legacy \/api\/createEvent with HTTP Digest/);
    assert.ok(!logText().includes(USER.password));
  });

  it('the stand-in Digest check agrees with curl, a third-party Digest client', async (t) => {
    const { server } = await nx(t, 'legacy');
    const curl = (password: string) =>
      promisify(execFile)('curl', ['-sk', '--digest', '-u', `${USER.username}:${password}`, '-o', '/dev/null', '-w', '%{http_code}', `${server.url}/api/getCurrentUser`]).then((r) => r.stdout);
    assert.equal(await curl(USER.password), '200');
    assert.equal(await curl('wrong'), '401');
  });

  it('wrong credentials give an authentication error naming the settings (v4 and legacy)', async (t) => {
    const modern = await nx(t, 'modern');
    const legacy = await nx(t, 'legacy');
    for (const { server, tls } of [modern, legacy]) {
      const { sink } = sinkFor(server, { password: 'wrong', tls: { ca: tls.cert } }, t);
      await assert.rejects(send(sink), (e: unknown) => {
        assert.ok(e instanceof SinkAuthError, String(e));
        assert.match(e.hint ?? '', /outputs\[0\]\.username and password/);
        return true;
      });
    }
  });

  it("a self-signed certificate is refused with the fix (tls.ca or tls.insecure), then accepted once trusted", async (t) => {
    const { server, tls } = await nx(t, 'modern');
    const untrusted = sinkFor(server, {}, t);
    await assert.rejects(send(untrusted.sink), (e: unknown) => {
      assert.ok(e instanceof SinkConfigError, String(e));
      assert.match(e.message, /TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
      assert.match(e.hint ?? '', /tls\.ca.*tls\.insecure/);
      return true;
    });
    const trusted = sinkFor(server, { tls: { ca: tls.cert } }, t);
    await send(trusted.sink);
    const insecure = sinkFor(server, { tls: { insecure: true } }, t);
    await send(insecure.sink);
    assert.equal(server.events.length, 2);
  });
});
