import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { SinkAuthError } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { MOSQUITTO, privateMosquitto, subscriber } from '../../../test/support/mosquitto.js';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import plugin from '../index.js';

const until = async (check: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn(t) {
    const prefix = `vigie-test-${randomUUID()}`;
    const proxy = await new TcpProxy(MOSQUITTO).start();
    const { messages } = await subscriber(t, `${prefix}/#`);
    return {
      config: { url: `mqtt://127.0.0.1:${proxy.port}`, topicPrefix: prefix, retainProperties: false },
      accepted: () => messages.length,
      contacts: () => proxy.connections,
      close: () => proxy.close(),
    };
  },
  unreachable: (config, port) => ({ ...config, url: `mqtt://127.0.0.1:${port}` }),
});

describe('MQTT: ONVIF event broker layout on a real Mosquitto', () => {
  function sinkFor(t: TestContext, config: Record<string, unknown>) {
    const { context, close } = pluginTestContext({ type: 'mqtt', outputName: 'broker' });
    const sink = plugin.createSink(plugin.configSchema.parse(config), context);
    t.after(async () => {
      await sink.stop?.();
      close();
    });
    return sink;
  }

  it('publishes with QoS 1 on <prefix>/onvif-ej/<topic>/&<camera>/<rule> with the ONVIF JSON payload; properties retained, then cleared on end', async (t) => {
    const prefix = `vigie-test-${randomUUID()}`;
    const live = await subscriber(t, `${prefix}/#`);
    const sink = sinkFor(t, { url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, topicPrefix: prefix });
    await sink.start!();
    const start = makeEvent({ cameraId: 'hall', rule: { name: 'zone/A+', type: 'intrusion' }, objects: [{ trackId: 4, label: 'person', score: 0.9, box: { x1: 0, y1: 0, x2: 1, y2: 1 } }, { trackId: 9, label: 'person', score: 0.8, box: { x1: 0, y1: 0, x2: 1, y2: 1 } }] });
    await sink.deliver(start, { attempt: 1, idempotencyKey: start.id, signal: deadline() });
    const topic = `${prefix}/onvif-ej/RuleEngine/FieldDetector/ObjectsInside/&hall/zone_A_`;
    await until(() => live.messages.length === 1, 'the start');
    const first = live.messages[0]!;
    assert.equal(first.topic, topic);
    assert.equal(first.qos, 1);
    assert.deepEqual(JSON.parse(first.payload), {
      UtcTime: start.frameTime,
      PropertyOperation: 'Initialized',
      Source: { VideoSource: 'hall', Rule: 'zone/A+' },
      Data: { IsInside: 'true', ObjectId: '4 9', ClassTypes: 'person', Count_inside: '1' },
    });
    assert.equal(first.userProperties['event-id'], start.id);
    assert.equal(first.userProperties['incident-id'], start.incidentId);

    const late = await subscriber(t, `${prefix}/#`);
    await until(() => late.messages.length === 1, 'the retained state for a late subscriber');
    assert.equal(late.messages[0]!.retain, true);

    const end = makeEvent({ ...start, id: randomUUID(), state: 'end', sequence: 2 });
    await sink.deliver(end, { attempt: 1, idempotencyKey: end.id, signal: deadline() });
    await until(() => live.messages.length === 3, 'the end and the retained clear');
    assert.equal(JSON.parse(live.messages[1]!.payload).PropertyOperation, 'Deleted');
    assert.equal(JSON.parse(live.messages[1]!.payload).Data.IsInside, 'false');
    assert.equal(live.messages[2]!.payload, '', 'a zero-byte payload clears the retained property');
    const after = await subscriber(t, `${prefix}/#`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(after.messages.length, 0, 'nothing retained after the end');
  });

  it("keeps Vigie's own topics under their vigie: prefix and sends line crossings as events (not retained)", async (t) => {
    const prefix = `vigie-test-${randomUUID()}`;
    const live = await subscriber(t, `${prefix}/#`);
    const sink = sinkFor(t, { url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, topicPrefix: prefix, protocolVersion: 4 });
    await sink.start!();
    await sink.deliver(makeEvent({ type: 'person_down', rule: { name: 'floor', type: 'person_down' } }), { attempt: 1, idempotencyKey: 'a', signal: deadline() });
    await sink.deliver(makeEvent({ type: 'line_crossing', rule: { name: 'gate', type: 'line_crossing' }, counts: { a_to_b: 3 } }), { attempt: 1, idempotencyKey: 'b', signal: deadline() });
    await until(() => live.messages.length === 2, 'two messages');
    assert.equal(live.messages[0]!.topic, `${prefix}/onvif-ej/vigie:RuleEngine/PersonDownDetector/PersonDown/&entrance/floor`);
    assert.equal(JSON.parse(live.messages[0]!.payload).Data.State, 'true');
    const crossing = live.messages[1]!;
    assert.equal(crossing.topic, `${prefix}/onvif-ej/RuleEngine/LineDetector/Crossed/&entrance/gate`);
    assert.equal(JSON.parse(crossing.payload).PropertyOperation, undefined);
    assert.equal(JSON.parse(crossing.payload).Data.Count_a_to_b, '3');
    assert.deepEqual(crossing.userProperties, {}, 'MQTT 3.1.1 has no user properties');
    // clear the retained person_down state this test left on the shared broker
    await sink.deliver(makeEvent({ type: 'person_down', state: 'end', rule: { name: 'floor', type: 'person_down' } }), { attempt: 1, idempotencyKey: 'c', signal: deadline() });
  });

  it('a broker refusing our credentials gives an authentication error naming the settings', async (t) => {
    const broker = await privateMosquitto(t, { username: 'vigie', password: 'right-password' });
    const wrong = sinkFor(t, { url: `mqtt://127.0.0.1:${broker.port}`, username: 'vigie', password: 'wrong-password' });
    await assert.rejects(wrong.start!(), (e: unknown) => {
      assert.ok(e instanceof SinkAuthError, String(e));
      assert.match(e.message, /refused the connection: Connection refused: (Bad username or password|Not authorized)/);
      assert.match(e.hint ?? '', /outputs\[0\]\.username and password/);
      return true;
    });
    const right = sinkFor(t, { url: `mqtt://127.0.0.1:${broker.port}`, username: 'vigie', password: 'right-password' });
    assert.match(await right.check!(deadline()), /connected to mqtt:\/\/127\.0\.0\.1:\d+ as vigie/);
  });
});
