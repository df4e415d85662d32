import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../../src/store/index.js';
import { makeEvent } from '../../support/events.js';

describe('SQLite delivery outbox', () => {
  it('records an event once and queues it per output; heads are the oldest pending entry of each camera', () => {
    const store = SqliteStore.open(':memory:');
    const d = store.delivery;
    const [a1, a2, b1] = [makeEvent({ cameraId: 'a', sequence: 1 }), makeEvent({ cameraId: 'a', sequence: 2 }), makeEvent({ cameraId: 'b', sequence: 1 })];
    assert.equal(d.recordEvent(a1, ['x', 'y'], 1000), true);
    assert.equal(d.recordEvent(a1, ['x', 'y'], 1000), false, 'same id: nothing queued again');
    d.recordEvent(a2, ['x'], 1001);
    d.recordEvent(b1, ['x'], 1002);
    assert.deepEqual(d.getEvent(a1.id), a1);
    const heads = d.dueHeads('x', 2000, 10, new Set());
    assert.deepEqual(heads.map((h) => h.eventId), [a1.id, b1.id]);
    assert.deepEqual(d.dueHeads('x', 2000, 10, new Set(['a'])).map((h) => h.eventId), [b1.id], 'busy cameras are skipped');
    d.markRetry(heads[0]!.id, { now: 2000, nextAttemptAt: 5000, errorCode: 'E', error: 'down' });
    assert.deepEqual(d.dueHeads('x', 2000, 10, new Set()).map((h) => h.eventId), [b1.id], 'a2 waits behind a1, which is not due');
    assert.equal(d.nextDueAt('x', new Set(['b'])), 5000);
    d.markDelivered(heads[0]!.id, 5001);
    assert.deepEqual(d.dueHeads('x', 5001, 10, new Set()).map((h) => h.eventId), [a2.id, b1.id]);
    assert.equal(d.countsByOutput().get('x')!.pending, 2);
    store.close();
  });

  it('dead letters: listed with their event, replayed with attempts reset, discarded; held entries keep their attempts', () => {
    const store = SqliteStore.open(':memory:');
    const d = store.delivery;
    const e = makeEvent();
    d.recordEvent(e, ['x'], 0);
    d.markHeld(1, { now: 1, nextAttemptAt: 10, errorCode: 'SINK_MISCONFIGURED', error: 'unknown event' });
    assert.equal(d.getEntry(1)!.attempts, 0);
    d.markRetry(1, { now: 2, nextAttemptAt: 20, errorCode: 'SINK_UNAVAILABLE', error: '500' });
    d.markDead(1, { now: 3, errorCode: 'SINK_UNAVAILABLE', error: '500' }, true);
    const [letter] = d.listDeadLetters();
    assert.deepEqual([letter!.attempts, letter!.eventType, letter!.lastError, letter!.deadAt], [2, 'intrusion', '500', 3]);
    assert.equal(d.replayDeadLetters({ output: 'other', now: 4 }).length, 0);
    assert.equal(d.replayDeadLetters({ now: 4 }).length, 1);
    assert.deepEqual([d.getEntry(1)!.status, d.getEntry(1)!.attempts, d.getEntry(1)!.replays], ['pending', 0, 1]);
    d.markDead(1, { now: 5, errorCode: 'SINK_REJECTED', error: '400' }, true);
    assert.equal(d.discardDeadLetters({ ids: [1] }).length, 1);
    assert.equal(d.getEntry(1), undefined);
    assert.deepEqual(d.getEvent(e.id)?.id, e.id, 'the event record stays');
    store.close();
  });

  it('purges delivered entries and their events past retention, never pending or dead ones', () => {
    const store = SqliteStore.open(':memory:');
    const d = store.delivery;
    const [old, waiting, fresh] = [makeEvent(), makeEvent(), makeEvent()];
    d.recordEvent(old, ['x'], 0);
    d.recordEvent(waiting, ['x'], 0);
    d.recordEvent(fresh, ['x'], 9000);
    d.markDelivered(1, 100);
    d.markDelivered(3, 9100);
    assert.deepEqual(d.purgeDelivered(5000), { entries: 1, events: 1 });
    assert.equal(d.getEvent(old.id), undefined);
    assert.ok(d.getEvent(waiting.id));
    assert.ok(d.getEvent(fresh.id));
    assert.ok(d.nodeId() === d.nodeId());
    store.close();
  });
});
