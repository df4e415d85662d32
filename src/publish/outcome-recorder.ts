import type { Logger } from '../logging/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';
import type { DeliveryWriter, OutboxEntry, Store } from '../store/index.js';
import { backoffSeconds } from './backoff.js';
import type { DeliveryMetrics } from './delivery-metrics.js';
import type { Outcome } from './guarded-sink.js';
import type { ResolvedOutput } from './resolve-outputs.js';

/** What happened to an outbox entry after an attempt. */
export type EntryFate = 'delivered' | 'retry' | 'held' | 'dead';

export interface Recorded {
  fate: EntryFate;
  /** For retry and held: when the entry is due again (epoch ms). */
  nextAttemptAt?: number;
  /** Resolves once the outcome is committed (at once for failures, within FLUSH_MS for deliveries). */
  durable: Promise<void>;
}

interface DeliveredWrite {
  entryId: number;
  object: string;
  details: Record<string, unknown>;
  done: () => void;
  failed: (error: Error) => void;
}

/**
 * Deliveries are committed in groups: at most this long after the VMS accepted them (each group is one message to
 * the writer thread and one commit there; measured in bench:delivery, 25 ms gives fewer, larger groups than 5 ms
 * and a higher rate)...
 */
const FLUSH_MS = 25;
/** ...or as soon as this many are waiting. */
const FLUSH_COUNT = 256;

/**
 * Writes an attempt's outcome to the outbox and, for the outcomes that matter (delivered, dead-lettered), to the
 * audit log in the same transaction, so the record and the audit never disagree.
 *
 * Failures are written at once. Deliveries are written behind, in groups (one commit for up to FLUSH_COUNT, at
 * most FLUSH_MS later): a commit per delivered event would cost more than the delivery itself. A crash inside
 * that window means those events are delivered again after the restart, which is what the idempotency key (the
 * event id) is for; a clean stop commits everything first (`flush`).
 */
export class OutcomeRecorder {
  private delivered: DeliveredWrite[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly writer: DeliveryWriter,
    private readonly logger: Logger,
    private readonly metrics: DeliveryMetrics | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  record(output: ResolvedOutput, entry: OutboxEntry, event: AnalyticsEvent, outcome: Outcome): Recorded {
    const now = this.now();
    const policy = output.policy;
    this.metrics?.outcomes.inc({ output: output.name, outcome: outcome.kind });
    if (outcome.kind === 'delivered') {
      this.metrics?.duration.observe({ output: output.name }, outcome.durationMs / 1000);
      const details: Record<string, unknown> = { output: output.name, camera: event.cameraId, eventType: event.type, attempts: entry.attempts + 1 };
      if (outcome.receipt.detail) details.answer = outcome.receipt.detail;
      if (outcome.receipt.skipped) details.skipped = outcome.receipt.skipped;
      const durable = new Promise<void>((done, failed) => {
        this.delivered.push({ entryId: entry.id, object: event.id, details, done, failed });
        if (this.delivered.length >= FLUSH_COUNT) void this.flush();
        else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
      });
      return { fate: 'delivered', durable };
    }
    const audit = { output: output.name, camera: event.cameraId, eventType: event.type };
    const { error } = outcome;
    const failures = entry.attempts + 1;
    if (outcome.kind === 'hold') {
      const nextAttemptAt = now + policy.holdSeconds * 1000;
      this.store.delivery.markHeld(entry.id, { now, nextAttemptAt, errorCode: error.code, error: error.message });
      return { fate: 'held', nextAttemptAt, durable: Promise.resolve() };
    }
    if (outcome.kind === 'reject' || failures >= policy.maxAttempts) {
      const reason = outcome.kind === 'reject' ? 'rejected by the VMS' : `${failures} failed attempts`;
      this.store.transaction(() => {
        this.store.delivery.markDead(entry.id, { now, errorCode: error.code, error: error.message }, true);
        this.store.audit.append({
          actor: 'system',
          action: 'delivery.dead_lettered',
          object: event.id,
          details: { ...audit, attempts: failures, reason, code: error.code, error: error.message },
        });
      });
      this.metrics?.outcomes.inc({ output: output.name, outcome: 'dead' });
      this.logger.error(
        { output: output.name, event: event.id, camera: event.cameraId, attempts: failures, code: error.code, error: error.message },
        `event ${event.id} moved to the dead-letter list of output ${output.name} (${reason}): see \`vigie events dead-letter list\`, replay with \`vigie events dead-letter replay\``,
      );
      return { fate: 'dead', durable: Promise.resolve() };
    }
    const wait = Math.max(backoffSeconds(failures, policy.retry), error.retryAfterSeconds ?? 0);
    const nextAttemptAt = now + wait * 1000;
    this.store.delivery.markRetry(entry.id, { now, nextAttemptAt, errorCode: error.code, error: error.message });
    this.logger.debug({ output: output.name, event: event.id, attempts: failures, retryInSeconds: Math.round(wait * 10) / 10, code: error.code }, 'delivery failed, will retry');
    return { fate: 'retry', nextAttemptAt, durable: Promise.resolve() };
  }

  /** Commits the deliveries waiting to be written (also called at stop); resolves once they are committed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.delivered;
    if (batch.length === 0) return Promise.resolve();
    this.delivered = [];
    return this.writer
      .markDelivered(
        batch.map((w) => w.entryId),
        batch.map((w) => ({ actor: 'system', action: 'delivery.delivered', object: w.object, details: w.details })),
        this.now(),
      )
      .then(
        () => {
          for (const write of batch) write.done();
        },
        (error: unknown) => {
          this.logger.error({ err: error, count: batch.length }, 'could not record deliveries: those events stay queued and will be delivered again');
          for (const write of batch) write.failed(error as Error);
        },
      );
  }
}
