import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { eventStream } from '../../support/events.js';
import { startTestDelivery, waitFor } from '../../support/delivery.js';
import { MOSQUITTO, subscriber } from '../../support/mosquitto.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

it('MQTT through the host: the broker unreachable for a while, then back: every event arrives, in order per camera', async (t) => {
  const prefix = `vigie-test-${randomUUID()}`;
  const proxy = await new TcpProxy(MOSQUITTO).start();
  t.after(() => proxy.close());
  const live = await subscriber(t, `${prefix}/#`);
  const { service } = await startTestDelivery(t, {
    // a publish in flight when the connection drops waits for mqtt.js to resend it after reconnecting, or for the
    // delivery timeout (then it is retried): 2 s keeps the test short
    outputs: [{ type: 'mqtt', name: 'broker', url: `mqtt://127.0.0.1:${proxy.port}`, topicPrefix: prefix, retainProperties: false, timeoutSeconds: 2 }],
    delivery: { maxAttempts: 1000 },
  });
  const events = eventStream(3, 8);
  for (const e of events.slice(0, 6)) await service.events.publish(e);
  await waitFor(() => live.messages.length === 6, 'the first events');
  await proxy.down();
  for (const e of events.slice(6, 18)) await service.events.publish(e);
  await waitFor(() => service.health()[0]!.plugin?.connected === false, 'the output noticing the broker is gone');
  assert.notEqual(service.health()[0]!.state, 'ok');
  await new Promise((r) => setTimeout(r, 1500));
  await proxy.up();
  for (const e of events.slice(18)) await service.events.publish(e);
  await waitFor(() => new Set(live.messages.map((m) => m.userProperties['event-id'])).size === events.length, 'every event after reconnection', 30);
  const ids = live.messages.map((m) => String(m.userProperties['event-id']));
  assert.deepEqual(new Set(ids), new Set(events.map((e) => e.id)));
  // QoS 1 is at least once: a repeat (same event-id) is possible across a cut, order per camera is not broken
  const byId = new Map(events.map((e) => [e.id, e]));
  const last = new Map<string, number>();
  for (const id of ids) {
    const e = byId.get(id)!;
    assert.ok(e.sequence >= (last.get(e.cameraId) ?? 0), `camera ${e.cameraId}: #${e.sequence} after #${last.get(e.cameraId)}`);
    last.set(e.cameraId, e.sequence);
  }
  await waitFor(() => service.health()[0]!.state === 'ok' && service.health()[0]!.plugin?.connected === true, 'recovery');
});
