import type { Logger } from '../logging/index.js';
import type { OutboxEntry, Store } from '../store/index.js';
import type { EventCache } from './event-cache.js';
import type { GuardedSink } from './guarded-sink.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ResolvedOutput } from './resolve-outputs.js';

/** Pending entries read per camera in one query. */
const READ_AHEAD = 16;

/** Schedules one output's deliveries; two implementations: the SQLite outbox (embedded) and BullMQ (distributed). */
export interface Dispatcher {
  start(): Promise<void>;
  /** New entries may be due: for `cameraId` (an event was published), or anywhere (dead letters replayed). */
  wake(cameraId?: string): void;
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
 * Embedded scheduling on the SQLite outbox. For one output, it takes the oldest pending entry of each camera (its
 * head: a camera's events go strictly in order, one at a time), runs up to `concurrency` due heads of different
 * cameras at once, and sleeps until the next head is due, the circuit lets a probe through, something is
 * published, or the poll interval passes (entries queued or replayed by another process).
 *
 * Heads are cached per camera and looked up by index, so the cost of scheduling does not grow with the backlog: a
 * head changes only when this dispatcher records its outcome, or when another process replays dead letters (the
 * poll re-reads every camera).
 */
export class OutboxDispatcher implements Dispatcher {
  private readonly busy = new Set<string>();
  /** Camera → its pending head (not in flight), null when it has none, undefined when it must be looked up. */
  private readonly heads = new Map<string, OutboxEntry | null | undefined>();
  /** Camera → highest outbox id settled (delivered, dead) but perhaps not committed yet: its next head is above. */
  private readonly settled = new Map<string, number>();
  /** Camera → pending entries read ahead after its head, in order (one query per READ_AHEAD events). */
  private readonly ahead = new Map<string, OutboxEntry[]>();
  private readonly inflight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
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

  wake(cameraId?: string): void {
    if (!this.running) return;
    if (cameraId === undefined) this.lastRefresh = 0;
    else if (!this.heads.get(cameraId)) this.heads.set(cameraId, undefined);
    this.pump();
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

  /** The camera's next pending entry: from the read-ahead, else from the outbox (reading a few more ahead). */
  private nextHead(camera: string): OutboxEntry | null {
    const after = this.settled.get(camera) ?? 0;
    const queue = this.ahead.get(camera);
    while (queue && queue.length > 0 && queue[0]!.id <= after) queue.shift();
    if (queue && queue.length > 0) return queue.shift()!;
    const read = this.deps.store.delivery.nextOf(this.deps.output.name, camera, after, READ_AHEAD);
    const head = read.shift() ?? null;
    if (read.length > 0) this.ahead.set(camera, read);
    else this.ahead.delete(camera);
    return head;
  }

  /** Re-reads which cameras have pending entries (another process may have queued or replayed some). */
  private refresh(now: number): void {
    this.lastRefresh = now;
    this.ahead.clear();
    for (const camera of this.heads.keys()) if (!this.busy.has(camera)) this.heads.set(camera, undefined);
    for (const camera of this.deps.store.delivery.pendingCameras(this.deps.output.name)) if (!this.heads.get(camera)) this.heads.set(camera, undefined);
  }

  private fill(): void {
    const { output, sink } = this.deps;
    if (!this.running) return;
    const now = this.now();
    if (now - this.lastRefresh >= output.policy.pollSeconds * 1000) this.refresh(now);
    const free = output.policy.concurrency - this.busy.size;
    if (free <= 0) return;
    const due: OutboxEntry[] = [];
    for (const [camera, cached] of this.heads) {
      if (this.busy.has(camera)) continue;
      let head = cached;
      if (head === undefined) {
        head = this.nextHead(camera);
        if (head) this.heads.set(camera, head);
        else this.heads.delete(camera);
      }
      if (head && head.nextAttemptAt <= now) due.push(head);
    }
    due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
    for (const entry of due.slice(0, free)) {
      const permit = sink.permit();
      if (permit === 'wait') break;
      this.launch(entry);
      if (permit === 'probe') break;
    }
  }

  private launch(entry: OutboxEntry): void {
    this.busy.add(entry.cameraId);
    this.heads.set(entry.cameraId, undefined);
    const work = this.deliver(entry).finally(() => {
      this.busy.delete(entry.cameraId);
      this.heads.set(entry.cameraId, undefined); // delivered, rescheduled or dead: look the head up again
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
      const outcome = await sink.attempt(event, entry.attempts + 1, events.json(event));
      const { fate, durable } = recorder.record(output, entry, event, outcome);
      if (fate === 'dead') sink.health.deadLettered++;
      if (fate === 'retry' || fate === 'held') this.ahead.delete(entry.cameraId); // it stays the head: read it again
      if (fate === 'delivered' || fate === 'dead') {
        events.release(event.id, output.name);
        // the camera's next event may go now; the marker keeps this one from being picked again until committed
        this.settled.set(entry.cameraId, Math.max(entry.id, this.settled.get(entry.cameraId) ?? 0));
        durable.then(
          () => {
            if (this.settled.get(entry.cameraId) === entry.id) this.settled.delete(entry.cameraId);
          },
          () => {
            this.settled.delete(entry.cameraId); // not committed: it is pending again and will be redelivered
            this.ahead.delete(entry.cameraId);
            this.heads.set(entry.cameraId, undefined);
          },
        );
      }
    } catch (error) {
      logger.error({ err: error, output: output.name, outboxId: entry.id }, 'could not record a delivery outcome; the event stays queued');
    }
  }

  /** Sleeps until the soonest cached head is due (or the circuit reopens), at most until the next poll. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    const { output, sink } = this.deps;
    const now = this.now();
    let at = this.lastRefresh + output.policy.pollSeconds * 1000;
    if (this.busy.size < output.policy.concurrency) {
      let due = Number.POSITIVE_INFINITY;
      for (const [camera, head] of this.heads) {
        if (this.busy.has(camera)) continue;
        if (head === undefined) due = now; // not looked up yet
        else if (head) due = Math.min(due, head.nextAttemptAt);
      }
      if (Number.isFinite(due)) at = Math.min(at, Math.max(due, sink.breaker.nextPermitAt(now)));
    }
    this.timer = setTimeout(() => this.pump(), Math.max(5, at - now));
    this.timer.unref?.();
  }
}
