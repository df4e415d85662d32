export type { Store, AuditLog, AuditRecord, AuditEntry } from './store.js';
export { SqliteStore, type StoreOptions } from './sqlite-store.js';
export { SecretBox } from './secret-box.js';
export type { CameraRecords, CameraRecord, LoadedCameraRecord, CameraRecordState, StoredPassword } from './camera-records.js';
export type { DeliveryWriter } from './delivery-writer.js';
export { eventRow, type EventRow } from './delivery-store.js';
export type { DeliveryStore, DispatchOwner, OutboxEntry, OutboxStatus, DeadLetter, OutboxCounts, FailureUpdate } from './delivery-store.js';
export type { SnapshotRecords, SnapshotRecord } from './snapshot-records.js';
export type { RuleRecords, StoredRules } from './rule-records.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { canonicalJson } from './audit-hash.js';

import type { VigieConfig } from '../config/index.js';
import { SqliteStore, type StoreOptions } from './sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store the configuration names. */
export function openStore(config: VigieConfig['store'], options: StoreOptions = {}): Store {
  return SqliteStore.open(config.path, options);
}
