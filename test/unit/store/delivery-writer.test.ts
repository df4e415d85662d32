import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventRow, SqliteStore } from '../../../src/store/index.js';
import { makeEvent } from '../../support/events.js';
import { tempDir } from '../../support/temp.js';

describe('delivery writer thread', () => {
  it('commits published events and delivered marks with their audit records before resolving, in order, once', async (t) => {
    const store = SqliteStore.open(join(await tempDir(t), 'vigie.db'));
    t.after(() => store.close());
    const writer = store.deliveryWriter({ thread: true, onFailure: (error) => assert.fail(error) });
    await writer.ready();
    const events = [1, 2, 3].map((sequence) => makeEvent({ cameraId: 'hall', sequence }));
    // two batches asked for at once: both committed, in the order asked
    const [first, second] = await Promise.all([writer.recordEvents(events.slice(0, 2).map((e) => eventRow(e, ['vms'])), 1000), writer.recordEvents([eventRow(events[2]!, ['vms'])], 1001)]);
    assert.deepEqual([first, second], [[true, true], [true]]);
    // visible to the main thread's own connection as soon as the promise resolved
    const pending = store.delivery.nextOf('vms', 'hall', 0, 10);
    assert.deepEqual(
      pending.map((p) => p.eventId),
      events.map((e) => e.id),
    );
    assert.deepEqual(store.delivery.getEvent(events[0]!.id), events[0]);
    assert.deepEqual(await writer.recordEvents([eventRow(events[0]!, ['vms'])], 1002), [false], 'the same id is recorded once');

    await writer.markDelivered(
      pending.slice(0, 2).map((p) => p.id),
      pending.slice(0, 2).map((p) => ({ actor: 'system', action: 'delivery.delivered', object: p.eventId, details: { output: 'vms' } })),
      2000,
    );
    assert.deepEqual(
      store.delivery.nextOf('vms', 'hall', 0, 10).map((p) => p.eventId),
      [events[2]!.id],
    );
    store.audit.append({ actor: 'system', action: 'output.state_changed', object: 'vms' }); // the main thread appends to the same chain
    assert.deepEqual(
      store.audit.list().map((a) => `${a.action}:${a.object}`),
      [`delivery.delivered:${events[0]!.id}`, `delivery.delivered:${events[1]!.id}`, 'output.state_changed:vms'],
    );
    assert.equal(store.audit.verify(), 3, 'one hash chain across both connections');
    await writer.close();
  });
});
