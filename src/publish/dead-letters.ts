import { DeliveryError } from '../errors/index.js';
import type { OutboxEntry, Store } from '../store/index.js';

export interface DeadLetterSelection {
  /** Outbox ids (the first column of `vigie events dead-letter list`); empty = every dead letter of `output`. */
  ids?: readonly number[];
  output?: string;
  /** Who asked: written to the audit log. */
  by: string;
}

/**
 * Puts dead letters back in the outbox (attempts reset); a running Vigie picks them up within its poll interval.
 * Each replayed event is written to the audit log with who replayed it.
 */
export function replayDeadLetters(store: Store, selection: DeadLetterSelection, now = Date.now()): OutboxEntry[] {
  guard(selection);
  return store.transaction(() => {
    const replayed = store.delivery.replayDeadLetters({ ids: selection.ids, output: selection.output, now });
    for (const entry of replayed) {
      store.audit.append({
        actor: selection.by,
        action: 'delivery.replayed',
        object: entry.eventId,
        details: { output: entry.output, outboxId: entry.id, previousAttempts: entry.attempts, lastError: entry.lastError ?? null },
      });
    }
    return replayed;
  });
}

/** Removes dead letters for good (the event record stays), each written to the audit log with who did it. */
export function discardDeadLetters(store: Store, selection: DeadLetterSelection): OutboxEntry[] {
  guard(selection);
  return store.transaction(() => {
    const discarded = store.delivery.discardDeadLetters({ ids: selection.ids, output: selection.output });
    for (const entry of discarded) {
      store.audit.append({
        actor: selection.by,
        action: 'delivery.discarded',
        object: entry.eventId,
        details: { output: entry.output, outboxId: entry.id, attempts: entry.attempts, lastError: entry.lastError ?? null },
      });
    }
    return discarded;
  });
}

function guard(selection: DeadLetterSelection): void {
  if (!selection.by.trim()) throw new DeliveryError('who replays or discards dead letters must be named, for the audit log', { hint: 'pass --by NAME' });
}
