import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TOPICS, type NotificationMessage } from '../../../src/device/index.js';
import { SubscriptionManager } from '../../../src/device/subscriptions.js';
import { SoapFaultError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';

const intrusion = EVENT_TOPICS.find((t) => t.type === 'intrusion')!;
const message = (n: number): NotificationMessage => ({ topic: intrusion, utcTime: new Date(0).toISOString(), operation: 'Changed', source: [['Rule', `r${n}`]], data: [] });

function manager(clock: { now: number }, state: NotificationMessage[] = []): SubscriptionManager {
  return new SubscriptionManager({ logger: silentLogger(), maxPullPoints: 2, maxPushSubscriptions: 0, now: () => clock.now, currentState: () => state, notify: () => Promise.resolve() });
}

const never = () => () => undefined;

describe('event subscriptions', () => {
  it('gives a new pull point the current state first, then what is published, up to the message limit', async () => {
    const clock = { now: 1_000_000 };
    const subs = manager(clock, [message(0)]);
    const s = subs.create('pull', { filter: undefined, terminationTime: clock.now + 60_000 });
    subs.publish(message(1));
    subs.publish(message(2));
    const first = await subs.pull(s.id, 0, 2, never);
    assert.deepEqual(first.messages.map((m) => m.source[0]![1]), ['r0', 'r1']);
    const second = await subs.pull(s.id, 0, 10, never);
    assert.deepEqual(second.messages.map((m) => m.source[0]![1]), ['r2']);
  });

  it('limits pull points, refuses a second concurrent pull, and keeps messages when the waiting client goes away', async () => {
    const clock = { now: 1_000_000 };
    const subs = manager(clock);
    const a = subs.create('pull', { filter: undefined, terminationTime: clock.now + 60_000 });
    subs.create('pull', { filter: undefined, terminationTime: clock.now + 60_000 });
    assert.throws(() => subs.create('pull', { filter: undefined, terminationTime: clock.now + 60_000 }), (e: unknown) => e instanceof SoapFaultError && /2 pull points are already open/.test(e.message));
    assert.throws(() => subs.create('push', { filter: undefined, terminationTime: clock.now + 60_000, consumer: 'http://127.0.0.1:1/' }), SoapFaultError);

    let hangUp: () => void = () => undefined;
    const waiting = subs.pull(a.id, 60_000, 10, (cancel) => {
      hangUp = cancel;
      return () => undefined;
    });
    await assert.rejects(subs.pull(a.id, 0, 10, never), (e: unknown) => e instanceof SoapFaultError && e.hasSubcode('UnableToGetMessages'));
    hangUp();
    assert.deepEqual((await waiting).messages, [], 'the client hung up: nothing taken');
    subs.publish(message(7));
    assert.deepEqual((await subs.pull(a.id, 0, 10, never)).messages.map((m) => m.source[0]![1]), ['r7'], 'the message waited for the next pull');
  });

  it('wakes a waiting pull when a message arrives, extends the termination time on pulls, and expires idle subscriptions', async () => {
    const clock = { now: 1_000_000 };
    const subs = manager(clock);
    const s = subs.create('pull', { filter: undefined, terminationTime: clock.now + 10_000 });
    const waiting = subs.pull(s.id, 60_000, 10, never);
    subs.publish(message(3));
    assert.equal((await waiting).messages.length, 1);
    clock.now += 8_000;
    await subs.pull(s.id, 0, 10, never);
    assert.equal(s.terminationTime, clock.now + 10_000, 'a pull extends by the lifetime asked at creation');
    clock.now += 10_001;
    assert.throws(() => subs.get(s.id), (e: unknown) => e instanceof SoapFaultError && /expired or was unsubscribed/.test(e.message));
  });
});
