import type { Logger } from '../logging/index.js';
import type { OutboxEntry, Store } from '../store/index.js';
import type { EventCache } from './event-cache.js';
import type { GuardedSink } from './guarded-sink.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ResolvedOutput } from './resolve-outputs.js';

/** Schedules one output's deliveries; two implementations: the SQLite outbox (embedded) and BullMQ (distributed). */
export interface Dispatcher {
  start(): Promise<void>;
  /** New entries may be due (an event was published, dead letters replayed). */
  wake(): void;
  /** Stops taking new work and waits for deliveries in progress. */
  stop(): Promise<void>;
}

export interface DispatcherDeps {
  store: Store;
  output: ResolvedOutput;
  sink: GuardedSink;
  recorder: OutcomeRecorder;
  events: EventCache;
  logger: Logger;
  now?: () => number;
}

/**
 * Embedded scheduling on the SQLite outbox. For one output, it takes the oldest pending entry of each camera that
 * is due (so a camera's events go strictly in order, one at a time), runs up to `concurrency` of them on
 * different cameras, and sleeps until the next entry is due, the circuit reopens, something is published, or the
 * poll interval passes (entries queued by another process). Never throws.
 */
export class OutboxDispatcher implements Dispatcher {
  private readonly busy = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pumping = false;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly deps: DispatcherDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): Promise<void> {
    this.running = true;
    this.pump();
    return Promise.resolve();
  }

  wake(): void {
    if (this.running) this.pump();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.fill();
      } while (this.again && this.running);
    } catch (error) {
      this.deps.logger.error({ err: error, output: this.deps.output.name }, 'outbox dispatcher failed to read the outbox; retrying');
    } finally {
      this.pumping = false;
    }
    this.schedule();
  }

  private fill(): void {
    const { output, sink, store } = this.deps;
    const free = output.policy.concurrency - this.busy.size;
    if (!this.running || free <= 0) return;
    const heads = store.delivery.dueHeads(output.name, this.now(), free, this.busy);
    for (const entry of heads) {
      const permit = sink.permit();
      if (permit === 'wait') break;
      this.launch(entry);
      if (permit === 'probe') break;
    }
  }

  private launch(entry: OutboxEntry): void {
    this.busy.add(entry.cameraId);
    const work = this.deliver(entry).finally(() => {
      this.busy.delete(entry.cameraId);
      this.inflight.delete(work);
      if (this.running) this.pump();
    });
    this.inflight.add(work);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { output, sink, recorder, events, logger } = this.deps;
    try {
      const event = events.get(entry.eventId);
      if (!event) {
        logger.error({ output: output.name, outboxId: entry.id, event: entry.eventId }, 'outbox entry without its event record: skipped');
        return;
      }
      const outcome = await sink.attempt(event, entry.attempts + 1);
      const { fate } = recorder.record(output, entry, event, outcome);
      if (fate === 'dead') sink.health.deadLettered++;
      if (fate === 'delivered' || fate === 'dead') events.release(event.id, output.name);
    } catch (error) {
      logger.error({ err: error, output: output.name, outboxId: entry.id }, 'could not record a delivery outcome; the event stays queued');
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    const { output, sink, store } = this.deps;
    const now = this.now();
    let at = now + output.policy.pollSeconds * 1000;
    if (this.busy.size < output.policy.concurrency) {
      try {
        const due = store.delivery.nextDueAt(output.name, this.busy);
        if (due !== undefined) at = Math.min(at, Math.max(due, sink.breaker.nextPermitAt(now)));
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'cannot read the outbox schedule');
      }
    }
    this.timer = setTimeout(() => this.pump(), Math.max(5, at - now));
    this.timer.unref?.();
  }
}
