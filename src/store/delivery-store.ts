import type { AnalyticsEvent } from '../sdk/index.js';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** One event queued for one output. Times are epoch milliseconds. */
export interface OutboxEntry {
  /** Insertion order: the delivery order of one camera's events. */
  id: number;
  output: string;
  eventId: string;
  cameraId: string;
  status: OutboxStatus;
  /** Failed attempts so far (held deliveries do not count). */
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | undefined;
  deadAt: number | undefined;
  lastErrorCode: string | undefined;
  lastError: string | undefined;
  /** How many times an operator replayed it from the dead-letter list. */
  replays: number;
}

/** A dead-lettered entry with what an operator needs to decide about it. */
export interface DeadLetter extends OutboxEntry {
  eventType: string;
  eventState: string;
  frameTime: string;
}

/** An event as recorded: its indexed columns, its JSON body, and the outputs it is queued for. */
export interface EventRow {
  id: string;
  incidentId: string;
  cameraId: string;
  type: string;
  state: string;
  sequence: number;
  frameTime: string;
  /** The event as JSON (AnalyticsEvent). */
  body: string;
  outputs: readonly string[];
}

/** The row of `event` (`json`: the event already serialised, when the caller has it). */
export function eventRow(event: AnalyticsEvent, outputs: readonly string[], json = JSON.stringify(event)): EventRow {
  return { id: event.id, incidentId: event.incidentId, cameraId: event.cameraId, type: event.type, state: event.state, sequence: event.sequence, frameTime: event.frameTime, body: json, outputs };
}

/** Who delivers from this database: one process at a time. */
export interface DispatchOwner {
  pid: number;
  host: string;
  /** Random per lease: two deliveries in one process are two owners too. */
  token: string;
}

export interface OutboxCounts {
  pending: number;
  dead: number;
  /** Epoch ms of the oldest pending entry's creation, when any. */
  oldestPendingAt: number | undefined;
}

export interface FailureUpdate {
  now: number;
  nextAttemptAt: number;
  errorCode: string;
  error: string;
}

/**
 * The record of events and their delivery, kept in the state database: the events themselves, and the outbox
 * (one row per event and output: pending, delivered, or dead-lettered). Writes are synchronous and durable when
 * they return (SQLite WAL); a caller wanting a state change and its audit record together wraps both in
 * `Store.transaction`.
 */
export interface DeliveryStore {
  /**
   * Records the event and queues it for `outputs`, in one transaction. Returns false (and changes nothing) when
   * an event with this id is already recorded.
   */
  recordEvent(event: AnalyticsEvent, outputs: readonly string[], now: number): boolean;
  /**
   * recordEvent for several events in one transaction (one commit); returns, per event, whether it was new.
   * `json` is the event already serialised, when the caller has it.
   */
  recordEvents(batch: readonly { event: AnalyticsEvent; outputs: readonly string[]; json?: string }[], now: number): boolean[];
  /** recordEvents for rows already built (what the delivery writer thread receives). */
  recordRows(rows: readonly EventRow[], now: number): boolean[];
  getEvent(id: string): AnalyticsEvent | undefined;
  getEntry(id: number): OutboxEntry | undefined;
  /**
   * The oldest pending entry of each camera of `output` (its head: later ones wait for it), keeping those due at
   * `now` and whose camera is not in `busyCameras`, soonest first, at most `limit`.
   */
  dueHeads(output: string, now: number, limit: number, busyCameras: ReadonlySet<string>): OutboxEntry[];
  /** Pending heads of `output`, due or not (for the distributed dispatcher, which schedules them itself). */
  pendingHeads(output: string, limit: number): OutboxEntry[];
  /** The oldest pending entry of one camera for `output` with an id above `afterId` (an index lookup), or undefined. */
  headOf(output: string, cameraId: string, afterId?: number): OutboxEntry | undefined;
  /** The next `limit` pending entries of one camera for `output` with ids above `afterId`, in order. */
  nextOf(output: string, cameraId: string, afterId: number, limit: number): OutboxEntry[];
  /** Cameras with pending entries for `output`. */
  pendingCameras(output: string): string[];
  /** When the soonest pending head of `output` (cameras in `busyCameras` aside) is due; undefined when none is. */
  nextDueAt(output: string, busyCameras: ReadonlySet<string>): number | undefined;
  markDelivered(id: number, now: number): void;
  markDeliveredMany(ids: readonly number[], now: number): void;
  /** A failed attempt: counts it and schedules the next one. */
  markRetry(id: number, update: FailureUpdate): void;
  /** A held delivery (VMS misconfigured or refusing credentials): reschedules without counting an attempt. */
  markHeld(id: number, update: FailureUpdate): void;
  markDead(id: number, update: Omit<FailureUpdate, 'nextAttemptAt'>, countAttempt: boolean): void;
  listDeadLetters(options?: { output?: string; limit?: number }): DeadLetter[];
  /** Dead entries back to pending with attempts reset; all of `output` (or everything) when `ids` is empty. */
  replayDeadLetters(options: { ids?: readonly number[]; output?: string; now: number }): OutboxEntry[];
  /** Removes dead entries for good (the event record stays); all of `output` (or everything) when `ids` is empty. */
  discardDeadLetters(options: { ids?: readonly number[]; output?: string }): OutboxEntry[];
  /** Pending and dead entries per output (delivered ones are not counted: that would scan the history). */
  countsByOutput(): Map<string, OutboxCounts>;
  /** Deletes delivered entries older than `before`, and events older than that with nothing left to deliver. */
  purgeDelivered(before: number): { entries: number; events: number };
  /** This database's delivery node id (random, created once): names its distributed queues. */
  nodeId(): string;
  /**
   * Takes the dispatch lease for `owner` unless `isHeld(holder)` says the current holder still holds it; returns
   * the holder that kept it, or undefined when the lease is now `owner`'s.
   */
  claimDispatch(owner: DispatchOwner, now: number, isHeld: (holder: DispatchOwner & { heartbeatAt: number }) => boolean): (DispatchOwner & { heartbeatAt: number }) | undefined;
  /** Refreshes the lease's heartbeat (only if `owner` holds it). */
  heartbeatDispatch(owner: DispatchOwner, now: number): void;
  /** Gives the lease up (only if `owner` holds it). */
  releaseDispatch(owner: DispatchOwner): void;
}
