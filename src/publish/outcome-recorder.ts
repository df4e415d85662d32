import type { Store, OutboxEntry } from '../store/index.js';
import type { Logger } from '../logging/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';
import { backoffSeconds } from './backoff.js';
import type { DeliveryMetrics } from './delivery-metrics.js';
import type { Outcome } from './guarded-sink.js';
import type { ResolvedOutput } from './resolve-outputs.js';

/** What happened to an outbox entry after an attempt. */
export type EntryFate = 'delivered' | 'retry' | 'held' | 'dead';

/**
 * Writes an attempt's outcome to the outbox and, for the outcomes that matter (delivered, dead-lettered), to the
 * audit log in the same transaction, so the record and the audit never disagree.
 */
export class OutcomeRecorder {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly metrics: DeliveryMetrics | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  record(output: ResolvedOutput, entry: OutboxEntry, event: AnalyticsEvent, outcome: Outcome): { fate: EntryFate; nextAttemptAt?: number } {
    const now = this.now();
    const policy = output.policy;
    const audit = { output: output.name, outputType: output.type, camera: event.cameraId, eventType: event.type, state: event.state, outboxId: entry.id };
    this.metrics?.outcomes.inc({ output: output.name, outcome: outcome.kind });
    if (outcome.kind === 'delivered') {
      this.metrics?.duration.observe({ output: output.name }, outcome.durationMs / 1000);
      this.store.transaction(() => {
        this.store.delivery.markDelivered(entry.id, now);
        this.store.audit.append({
          actor: 'system',
          action: 'delivery.delivered',
          object: event.id,
          details: { ...audit, attempts: entry.attempts + 1, ...(outcome.receipt.detail ? { answer: outcome.receipt.detail } : {}), ...(outcome.receipt.skipped ? { skipped: outcome.receipt.skipped } : {}) },
        });
      });
      return { fate: 'delivered' };
    }
    const { error } = outcome;
    const failures = entry.attempts + 1;
    if (outcome.kind === 'hold') {
      const nextAttemptAt = now + policy.holdSeconds * 1000;
      this.store.delivery.markHeld(entry.id, { now, nextAttemptAt, errorCode: error.code, error: error.message });
      return { fate: 'held', nextAttemptAt };
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
      return { fate: 'dead' };
    }
    const wait = Math.max(backoffSeconds(failures, policy.retry), error.retryAfterSeconds ?? 0);
    const nextAttemptAt = now + wait * 1000;
    this.store.delivery.markRetry(entry.id, { now, nextAttemptAt, errorCode: error.code, error: error.message });
    this.logger.debug({ output: output.name, event: event.id, attempts: failures, retryInSeconds: Math.round(wait * 10) / 10, code: error.code }, 'delivery failed, will retry');
    return { fate: 'retry', nextAttemptAt };
  }
}
