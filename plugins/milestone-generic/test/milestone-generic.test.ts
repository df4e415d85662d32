import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SinkConfigError } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { GenericEventServer } from '../../../test/support/standins/generic-event-server.js';
import plugin from '../index.js';

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn() {
    const server = await new GenericEventServer('international', new Map([['VigieIntrusion', 'Vigie intrusion']])).start();
    return { config: { url: server.url, format: 'international' }, accepted: () => server.matched().length, contacts: () => server.connections, close: () => server.close() };
  },
  unreachable: (config, port) => ({ ...config, url: `tcp://127.0.0.1:${port}` }),
});

describe('Milestone Generic Events wire format', () => {
  it('compatible (port 1234 style): one ANSI string per connection, confirmed by its echo', async (t) => {
    const server = await new GenericEventServer('compatible').start();
    t.after(() => server.close());
    const { context, close } = pluginTestContext({ type: 'milestone-generic' });
    t.after(close);
    const sink = plugin.createSink(plugin.configSchema.parse({ url: server.url, template: 'Vigie {type} {cameraId} Café' }), context);
    const receipt = await sink.deliver(makeEvent({ cameraId: 'hall' }), { attempt: 1, idempotencyKey: 'k', signal: deadline() });
    const receipt2 = await sink.deliver(makeEvent({ cameraId: 'gate' }), { attempt: 1, idempotencyKey: 'k2', signal: deadline() });
    await sink.stop?.();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(server.received, ['Vigie intrusion hall Café', 'Vigie intrusion gate Café']);
    assert.equal(server.connections, 2, 'one connection per event');
    assert.match(String(receipt?.detail), /echoed 25 bytes/);
    assert.ok(receipt2);
  });

  it('international (port 1235 style): CR LF records on one connection; no matching Generic Event is a configuration error', async (t) => {
    const server = await new GenericEventServer('international', new Map([['VigieIntrusion', 'Vigie intrusion start']])).start();
    t.after(() => server.close());
    const { context, close } = pluginTestContext({ type: 'milestone-generic' });
    t.after(close);
    const sink = plugin.createSink(plugin.configSchema.parse({ url: server.url, format: 'international', states: ['start', 'end'] }), context);
    const ok = await sink.deliver(makeEvent({ cameraId: 'hall', rule: { name: 'zone A', type: 'intrusion' } }), { attempt: 1, idempotencyKey: 'k', signal: deadline() });
    assert.match(String(ok?.detail), /matched 1 \(VigieIntrusion\)/);
    await assert.rejects(sink.deliver(makeEvent({ state: 'end' }), { attempt: 1, idempotencyKey: 'k2', signal: deadline() }), (e: unknown) => {
      assert.ok(e instanceof SinkConfigError);
      assert.match(e.message, /no Generic Event matched it/);
      assert.match(e.hint ?? '', /Rules and Events > Generic Events/);
      return true;
    });
    await sink.stop?.();
    assert.deepEqual(server.received, ['Vigie intrusion start camera=hall rule=zone A', 'Vigie intrusion end camera=entrance rule=track-side']);
    assert.equal(server.connections, 1, 'records share one connection');
  });

  it('refuses a url that is not tcp://host:port', () => {
    const bad = plugin.configSchema.safeParse({ url: 'http://xprotect:1234' });
    assert.equal(bad.success, false);
    assert.match(bad.error.issues[0]!.message, /tcp:\/\/host:port/);
  });
});
