import type { EventRow } from './delivery-store.js';
import type { AuditEntry, DeliveryWriter, Store } from './store.js';

export type { DeliveryWriter } from './store.js';

/** One write of the delivery hot path, as the writer (and its thread) receives it. */
export type WriteOp =
  | { kind: 'record'; rows: readonly EventRow[]; now: number }
  | { kind: 'delivered'; ids: readonly number[]; audits: readonly AuditEntry[]; now: number };

/** Per op: the `record` op's per-event "was new" flags; nothing for `delivered`. */
export type WriteResult = boolean[] | null;

/** A message to the writer thread: writes committed together. */
export interface WriterRequest {
  seq: number;
  ops: WriteOp[];
}

export type WriterReply = { seq: number; results: WriteResult[] } | { seq: number; error: string };

/** Runs `ops` in one transaction on `store` (group commit): every op or none. */
export function applyWrites(store: Store, ops: readonly WriteOp[]): WriteResult[] {
  return store.transaction(() =>
    ops.map((op) => {
      if (op.kind === 'record') return store.delivery.recordRows(op.rows, op.now);
      store.delivery.markDeliveredMany(op.ids, op.now);
      store.audit.appendMany(op.audits);
      return null;
    }),
  );
}

/** The writes run at once, on the caller's thread and connection (in-memory databases, command-line processes). */
export class InThreadDeliveryWriter implements DeliveryWriter {
  constructor(private readonly store: Store) {}

  recordEvents(rows: readonly EventRow[], now: number): Promise<boolean[]> {
    try {
      return Promise.resolve(applyWrites(this.store, [{ kind: 'record', rows, now }])[0] as boolean[]);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  markDelivered(ids: readonly number[], audits: readonly AuditEntry[], now: number): Promise<void> {
    try {
      applyWrites(this.store, [{ kind: 'delivered', ids, audits, now }]);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
