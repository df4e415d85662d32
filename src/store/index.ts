export type { Store, AuditLog, AuditRecord, AuditEntry } from './store.js';
export { SqliteStore } from './sqlite-store.js';
export type { DeliveryStore, DispatchOwner, OutboxEntry, OutboxStatus, DeadLetter, OutboxCounts, FailureUpdate } from './delivery-store.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { canonicalJson } from './audit-hash.js';

import type { VigieConfig } from '../config/index.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store the configuration names. */
export function openStore(config: VigieConfig['store']): Store {
  return SqliteStore.open(config.path);
}
