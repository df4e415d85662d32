import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { OutboxEntry } from '../store/index.js';
import type { Dispatcher, DispatcherDeps } from './outbox-dispatcher.js';

export interface BullmqDispatcherDeps extends DispatcherDeps {
  redisUrl: string;
  /** Key prefix of every queue (queue.prefix). */
  prefix: string;
  /** This database's delivery node id: outbox ids are unique per database, so queues are per node. */
  nodeId: string;
}

interface DeliveryJob {
  outboxId: number;
  eventId: string;
  cameraId: string;
}

/** How long a job waits when the circuit is half-open and its one probe is running. */
const PROBE_WAIT_MS = 1000;

/**
 * Distributed scheduling (REDIS_URL set): one BullMQ queue and worker per output. The SQLite outbox stays the
 * record of what must be delivered (an event is queued there in the same transaction that records it); this
 * dispatcher relays the head of each camera's queue into BullMQ, so a camera's events still go one at a time and
 * in order while different cameras run in parallel. Retries and holds move the job to BullMQ's delayed set
 * without consuming BullMQ attempts (the outbox counts them); a worker that dies mid-delivery leaves a stalled job
 * BullMQ hands to the next worker. Redis being down delays delivery, never loses an event: on reconnection (and on
 * start) every pending head is relayed again, and job ids (the outbox id) make that idempotent.
 */
export class BullmqDispatcher implements Dispatcher {
  private queue: Queue<DeliveryJob> | undefined;
  private worker: Worker<DeliveryJob> | undefined;
  /** Camera → outbox id of its head in BullMQ. */
  private readonly relayed = new Map<string, number>();
  /** Cameras with new entries since the last relay (their head may not be in BullMQ yet). */
  private readonly touched = new Set<string>();
  /** Look at every camera (start, poll, replays by another process), not only the touched ones. */
  private fullScan = true;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private relaying: Promise<void> | undefined;
  private again = false;
  private readonly now: () => number;
  readonly queueName: string;

  constructor(private readonly deps: BullmqDispatcherDeps) {
    this.now = deps.now ?? Date.now;
    this.queueName = `delivery-${deps.nodeId.slice(0, 8)}-${deps.output.name}`;
  }

  start(): Promise<void> {
    const { redisUrl, prefix, output, logger } = this.deps;
    this.queue = new Queue<DeliveryJob>(this.queueName, {
      connection: { url: redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 1 },
    });
    this.queue.on('error', (error) => logger.warn({ err: error, output: output.name }, 'delivery queue: Redis error (events wait in the outbox)'));
    this.worker = new Worker<DeliveryJob>(this.queueName, (job, token) => this.process(job, token), {
      connection: { url: redisUrl, maxRetriesPerRequest: null },
      prefix,
      concurrency: output.policy.concurrency,
      lockDuration: Math.max(30_000, output.policy.timeoutSeconds * 2000),
      autorun: true,
    });
    this.worker.on('error', (error) => logger.warn({ err: error, output: output.name }, 'delivery worker: Redis error (events wait in the outbox)'));
    this.worker.on('completed', (job) => this.release(job.data));
    this.worker.on('failed', (job, error) => {
      logger.error({ err: error, output: output.name, outboxId: job?.data.outboxId }, 'delivery job failed unexpectedly; the event stays in the outbox and is relayed again');
      if (job) this.release(job.data);
    });
    this.running = true;
    this.wake();
    return Promise.resolve();
  }

  wake(cameraId?: string): void {
    if (!this.running) return;
    if (cameraId === undefined) this.fullScan = true;
    else if (!this.relayed.has(cameraId)) this.touched.add(cameraId);
    if (this.relaying) {
      this.again = true;
      return;
    }
    this.relaying = this.relay().finally(() => {
      this.relaying = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.relaying;
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Relays the pending head of each camera not yet in BullMQ (touched cameras, or all on a full scan). */
  private async relay(): Promise<void> {
    const { store, output, logger } = this.deps;
    let heads: OutboxEntry[];
    try {
      if (this.fullScan) {
        this.fullScan = false;
        this.touched.clear();
        heads = store.delivery.pendingHeads(output.name, 100_000);
      } else {
        heads = [...this.touched].flatMap((camera) => store.delivery.headOf(output.name, camera) ?? []);
        this.touched.clear();
      }
    } catch (error) {
      logger.error({ err: error, output: output.name }, 'cannot read the outbox; retrying');
      this.fullScan = true;
      return;
    }
    const fresh = heads.filter((h) => this.relayed.get(h.cameraId) !== h.id);
    if (fresh.length === 0) return;
    try {
      await this.queue!.addBulk(
        fresh.map((h) => ({
          name: 'deliver',
          data: { outboxId: h.id, eventId: h.eventId, cameraId: h.cameraId },
          opts: { jobId: `o${h.id}`, delay: Math.max(0, h.nextAttemptAt - this.now()) },
        })),
      );
      for (const h of fresh) this.relayed.set(h.cameraId, h.id);
    } catch (error) {
      this.fullScan = true;
      logger.warn({ err: error, output: output.name, waiting: fresh.length }, 'cannot reach Redis to queue deliveries: events wait in the outbox and are relayed when it is back');
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => this.wake(), this.deps.output.policy.pollSeconds * 1000); // wake() without a camera: full scan
    this.timer.unref?.();
  }

  private release(data: DeliveryJob): void {
    if (this.relayed.get(data.cameraId) === data.outboxId) this.relayed.delete(data.cameraId);
    this.wake(data.cameraId);
  }

  private async process(job: Job<DeliveryJob>, token: string | undefined): Promise<string> {
    const { store, output, sink, recorder, events, logger } = this.deps;
    const entry = store.delivery.getEntry(job.data.outboxId);
    if (!entry || entry.status !== 'pending') return 'already settled';
    const now = this.now();
    if (entry.nextAttemptAt > now) return this.delay(job, token, entry.nextAttemptAt);
    const permit = sink.permit();
    if (permit === 'wait') {
      const at = sink.breaker.nextPermitAt(now);
      return this.delay(job, token, Number.isFinite(at) ? Math.max(at, now + 50) : now + PROBE_WAIT_MS);
    }
    const event = events.get(entry.eventId);
    if (!event) {
      logger.error({ output: output.name, outboxId: entry.id, event: entry.eventId }, 'outbox entry without its event record: skipped');
      return 'event missing';
    }
    const outcome = await sink.attempt(event, entry.attempts + 1, events.json(event));
    const { fate, nextAttemptAt, durable } = recorder.record(output, entry, event, outcome);
    await durable; // the next head of this camera is relayed when the job completes: the outbox must say so first
    if (fate === 'dead') sink.health.deadLettered++;
    if (fate === 'delivered' || fate === 'dead') {
      events.release(event.id, output.name);
      return fate;
    }
    return this.delay(job, token, nextAttemptAt ?? now + 1000);
  }

  private async delay(job: Job<DeliveryJob>, token: string | undefined, at: number): Promise<never> {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }
}
