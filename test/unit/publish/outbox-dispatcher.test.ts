import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../src/logging/index.js';
import { EventCache } from '../../../src/publish/event-cache.js';
import type { GuardedSink, Outcome } from '../../../src/publish/guarded-sink.js';
import { OutboxDispatcher } from '../../../src/publish/outbox-dispatcher.js';
import { OutcomeRecorder } from '../../../src/publish/outcome-recorder.js';
import type { ResolvedOutput } from '../../../src/publish/resolve-outputs.js';
import { SinkUnavailableError, type AnalyticsEvent } from '../../../src/sdk/index.js';
import { SqliteStore, type AuditEntry, type DeliveryWriter } from '../../../src/store/index.js';
import { eventStream } from '../../support/events.js';

/** A writer thread that commits delivered marks only when told to (a writer far behind, on a loaded machine). */
class HeldWriter implements DeliveryWriter {
  private held: (() => void)[] = [];
  constructor(private readonly inner: DeliveryWriter) {}
  recordEvents: DeliveryWriter['recordEvents'] = (rows, now) => this.inner.recordEvents(rows, now);
  markDelivered(ids: readonly number[], audits: readonly AuditEntry[], now: number): Promise<void> {
    return new Promise((resolve, reject) => this.held.push(() => void this.inner.markDelivered(ids, audits, now).then(resolve, reject)));
  }
  commit(): void {
    for (const write of this.held.splice(0)) write();
  }
  ready = () => this.inner.ready();
  close = () => this.inner.close();
}

const waitFor = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 2000 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok(), what);
};

describe('outbox dispatcher', () => {
  it('never sends an accepted event again while its delivered mark is not committed (read-ahead, retries, polls)', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    const writer = new HeldWriter(store.deliveryWriter());
    const events = eventStream(3, 40); // more per camera than one read-ahead
    store.delivery.recordEvents(
      events.map((event) => ({ event, outputs: ['vms'] })),
      Date.now(),
    );
    const output = {
      name: 'vms',
      policy: {
        maxAttempts: 100,
        timeoutSeconds: 5,
        concurrency: 4,
        retry: { initialSeconds: 0, maxSeconds: 0, multiplier: 2, jitter: 0 },
        circuitBreaker: { failureThreshold: 1000, openSeconds: 1 },
        holdSeconds: 0,
        pollSeconds: 0.01, // the outbox is re-read often, the marks still uncommitted
      },
    } as unknown as ResolvedOutput;
    const accepted: string[] = [];
    let calls = 0;
    const sink = {
      permit: () => 'go',
      health: { deadLettered: 0 },
      breaker: { nextPermitAt: (now: number) => now },
      attempt: (event: AnalyticsEvent): Promise<Outcome> => {
        calls++;
        // every seventh call fails: a retry of the head amid deliveries that are not committed yet
        if (calls % 7 === 0) return Promise.resolve({ kind: 'retry', error: new SinkUnavailableError('down for a moment'), durationMs: 1 });
        accepted.push(event.id);
        return Promise.resolve({ kind: 'delivered', receipt: {}, durationMs: 1 });
      },
    } as unknown as GuardedSink;
    const logger = silentLogger();
    const recorder = new OutcomeRecorder(store, writer, logger, undefined);
    const dispatcher = new OutboxDispatcher({ store, output, sink, recorder, events: new EventCache(store.delivery), logger });
    await dispatcher.start();
    t.after(() => dispatcher.stop());

    await waitFor(() => accepted.length >= events.length, `all ${events.length} events sent (${accepted.length})`);
    await new Promise((r) => setTimeout(r, 100)); // several polls with every delivered mark still uncommitted
    assert.equal(accepted.length, events.length, 'none sent twice while the marks wait');
    assert.equal(store.delivery.nextOf('vms', 'cam-1', 0, 100).length, 40, 'no delivered mark committed yet');
    assert.deepEqual(new Set(accepted), new Set(events.map((e) => e.id)));

    writer.commit();
    await recorder.flush();
    writer.commit();
    await waitFor(() => store.delivery.countsByOutput().get('vms')?.pending === undefined || store.delivery.countsByOutput().get('vms')?.pending === 0, 'every mark committed');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(accepted.length, events.length, 'none sent twice once committed');
  });
});
