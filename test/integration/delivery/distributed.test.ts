import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { it } from 'node:test';
import { eventStream } from '../../support/events.js';
import { assertOrderedOnce, startTestDelivery, waitFor } from '../../support/delivery.js';
import { cleanRedisPrefix, REDIS_URL, redisKeys } from '../../support/redis.js';
import { tempDir } from '../../support/temp.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

it('distributed mode (REDIS_URL): one BullMQ queue per output, per-camera order, nothing lost across an outage and a restart', async (t) => {
  const prefix = `vigie-test-${randomUUID().slice(0, 8)}`;
  cleanRedisPrefix(t, prefix);
  const receiver = await new WebhookReceiver().start();
  t.after(() => receiver.close());
  const dbPath = join(await tempDir(t), 'vigie.db');
  const options = { outputs: [{ type: 'webhook', name: 'vms', url: receiver.url }], redisUrl: REDIS_URL, prefix, dbPath, delivery: { maxAttempts: 1000 } };

  const first = await startTestDelivery(t, options);
  assert.equal(first.service.mode, 'distributed');
  const events = eventStream(4, 10);
  for (const e of events.slice(0, 8)) await first.service.events.publish(e);
  await waitFor(() => receiver.accepted.length === 8, 'the first deliveries through BullMQ');
  const queues = (await redisKeys(prefix)).filter((k) => k.includes(':delivery-'));
  assert.ok(queues.length > 0 && queues.every((k) => k.includes('-vms:')), `the output's queue lives under the prefix: ${queues.join(', ')}`);

  await receiver.setMode('fail');
  for (const e of events.slice(8, 24)) await first.service.events.publish(e);
  await new Promise((r) => setTimeout(r, 800));
  await first.stop(); // a restart in the middle of the outage; delayed jobs stay in Redis, the outbox in SQLite
  const second = await startTestDelivery(t, options);
  for (const e of events.slice(24)) await second.service.events.publish(e);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(receiver.accepted.length, 8);
  await receiver.setMode('ok');
  await waitFor(() => receiver.accepted.length >= events.length, 'every event after recovery');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(new Set(receiver.ids()), new Set(events.map((e) => e.id)));
  assert.equal(receiver.accepted.length, events.length, 'none twice');
  assertOrderedOnce(receiver.accepted);
  await waitFor(() => second.service.health()[0]!.pending === 0, 'an empty outbox', 5);
});
