import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { configSchema, type VigieConfig, type VigieConfigInput } from '../../src/config/index.js';
import { startDelivery, type DeliveryService } from '../../src/publish/index.js';
import type { SnapshotSource } from '../../src/sdk/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { captureLogs } from './log-capture.js';
import { tempDir } from './temp.js';

/** Retry timing that models outages in seconds rather than minutes. */
export const FAST_DELIVERY = {
  retry: { initialSeconds: 0.1, maxSeconds: 0.5, multiplier: 2, jitter: 0.1 },
  circuitBreaker: { failureThreshold: 3, openSeconds: 0.3 },
  holdSeconds: 0.3,
  pollSeconds: 0.2,
} as const;

export interface TestDelivery {
  service: DeliveryService;
  store: SqliteStore;
  config: VigieConfig;
  dbPath: string;
  logs: ReturnType<typeof captureLogs>;
  stop(): Promise<void>;
}

/** Delivery on a fresh SQLite file, with the real plugins, logs captured; stopped when the test ends. */
export async function startTestDelivery(
  t: TestContext,
  input: {
    outputs: VigieConfigInput['outputs'];
    delivery?: VigieConfigInput['delivery'];
    redisUrl?: string;
    /** Redis key prefix (distributed mode); a unique one by default. */
    prefix?: string;
    dbPath?: string;
    snapshots?: SnapshotSource;
    mode?: 'standard' | 'fr-vsa';
  },
): Promise<TestDelivery> {
  const dbPath = input.dbPath ?? join(await tempDir(t), 'vigie.db');
  const config = configSchema.parse({
    outputs: input.outputs,
    delivery: { ...FAST_DELIVERY, ...input.delivery },
    queue: { redisUrl: input.redisUrl ?? '', prefix: input.prefix ?? `vigie-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}` },
    store: { path: dbPath },
    discovery: { auto: true }, // output camera filters may name cameras the test does not configure
    rules: input.mode === 'fr-vsa' ? { mode: 'fr-vsa', enabledEventTypes: ['intrusion'] } : {},
  });
  const store = SqliteStore.open(dbPath);
  const logs = captureLogs('debug');
  let service: DeliveryService;
  try {
    service = await startDelivery({ config, store, logger: logs.logger, version: '0.0.0-test', snapshots: input.snapshots, databasePath: dbPath });
  } catch (error) {
    store.close();
    throw error;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await service.stop();
    store.close();
  };
  t.after(stop);
  return { service, store, config, dbPath, logs, stop };
}

/** Polls `check` every 20 ms until true; fails with `what` after `seconds`. */
export async function waitFor(check: () => boolean, what: string, seconds = 20): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Events accepted per camera are in increasing sequence order and each id came once. */
export function assertOrderedOnce(accepted: readonly { id: string; cameraId: string; sequence: number }[]): void {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  for (const e of accepted) {
    if (seen.has(e.id)) throw new Error(`event ${e.id} (${e.cameraId} #${e.sequence}) arrived twice`);
    seen.add(e.id);
    const previous = last.get(e.cameraId) ?? -Infinity;
    if (e.sequence <= previous) throw new Error(`camera ${e.cameraId}: #${e.sequence} arrived after #${previous}`);
    last.set(e.cameraId, e.sequence);
  }
}
