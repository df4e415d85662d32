import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DeliveryError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { DispatchOwner, Store } from '../store/index.js';

/** A holder that has not renewed the lease for this long has gone (crashed, or its host did). */
const STALE_MS = 30_000;
const HEARTBEAT_MS = 10_000;

/**
 * One process delivers from a database at a time: two would send every event twice. The lease names the process
 * (pid and host) and is renewed every 10 s. A second Vigie on the same state database is refused with the holder
 * named; a holder that died (kill -9, host crash) is taken over at once when its pid is gone on this host, or after
 * 30 s without a heartbeat otherwise.
 */
export class DispatchLease {
  private timer: NodeJS.Timeout | undefined;
  readonly owner: DispatchOwner = { pid: process.pid, host: hostname(), token: randomUUID() };

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly databasePath: string,
    private readonly now: () => number = Date.now,
  ) {}

  acquire(): void {
    const holder = this.store.delivery.claimDispatch(this.owner, this.now(), (h) => {
      if (this.now() - h.heartbeatAt > STALE_MS) return false;
      if (h.host === this.owner.host && !alive(h.pid)) return false;
      return true;
    });
    if (holder) {
      throw new DeliveryError(
        `another Vigie already delivers events from ${this.databasePath} (process ${holder.pid} on ${holder.host}, alive ${Math.round((this.now() - holder.heartbeatAt) / 1000)} s ago): two would deliver every event twice`,
        { hint: 'stop the other Vigie, or give this one its own state database (store.path or VIGIE_DB)' },
      );
    }
    this.timer = setInterval(() => {
      try {
        this.store.delivery.heartbeatDispatch(this.owner, this.now());
      } catch (error) {
        this.logger.warn({ err: error }, 'could not renew the delivery lease');
      }
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  release(): void {
    clearInterval(this.timer);
    try {
      this.store.delivery.releaseDispatch(this.owner);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the delivery lease (it expires by itself)');
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
