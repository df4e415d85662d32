import { Worker } from 'node:worker_threads';
import { StoreError } from '../errors/index.js';
import type { EventRow } from './delivery-store.js';
import { InThreadDeliveryWriter, type DeliveryWriter, type WriteOp, type WriterReply, type WriterRequest, type WriteResult } from './delivery-writer.js';
import type { AuditEntry, Store } from './store.js';

interface Queued {
  op: WriteOp;
  resolve: (result: WriteResult) => void;
  reject: (error: Error) => void;
}

/**
 * The delivery writes on a connection of their own in a worker thread. One message in flight at a time: the writes
 * asked for meanwhile wait and go together in the next one, committed in one transaction (the busier delivery is,
 * the larger the group commit). Each promise resolves once its write is committed, so "durable before publish()
 * resolves" holds as with writes on the caller's thread.
 *
 * If the thread fails (cannot start, dies), the writes in flight are rejected (publishers see the error; delivered
 * marks are delivered again, which the idempotency key covers) and later writes run on the caller's connection.
 */
export class ThreadedDeliveryWriter implements DeliveryWriter {
  private worker: Worker | undefined;
  private queue: Queued[] = [];
  private inflight: Queued[] | undefined;
  private seq = 0;
  private fallback: InThreadDeliveryWriter | undefined;
  private closing: Promise<void> | undefined;
  private closed: (() => void) | undefined;
  private up: (() => void) | undefined;
  private readonly started = new Promise<void>((resolve) => (this.up = resolve));

  constructor(
    private readonly store: Store,
    private readonly path: string,
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** Starts the thread (its database connection opens there); writes asked for before it is up wait in its queue. */
  start(): this {
    const worker = startWriterThread({ workerData: { path: this.path } });
    // referenced while starting, closing and writing (someone awaits it then), not while idle
    worker.on('message', (reply: WriterReply | 'ready') => {
      if (reply === 'ready') {
        if (!this.inflight && !this.closed) worker.unref();
        this.up?.();
      } else this.answered(reply);
    });
    worker.on('error', (error) => this.failed(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.failed(new Error(`the delivery writer thread exited (code ${code})`));
    });
    this.worker = worker;
    return this;
  }

  recordEvents(rows: readonly EventRow[], now: number): Promise<boolean[]> {
    if (this.fallback || !this.worker) return this.inThread().recordEvents(rows, now);
    return this.enqueue({ kind: 'record', rows, now }) as Promise<boolean[]>;
  }

  markDelivered(ids: readonly number[], audits: readonly AuditEntry[], now: number): Promise<void> {
    if (this.fallback || !this.worker) return this.inThread().markDelivered(ids, audits, now);
    return this.enqueue({ kind: 'delivered', ids, audits, now }).then(() => undefined);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((done) => {
      this.closed = done;
      this.finishIfIdle();
    });
    return this.closing;
  }

  ready(): Promise<void> {
    return this.started;
  }

  private inThread(): InThreadDeliveryWriter {
    return (this.fallback ??= new InThreadDeliveryWriter(this.store));
  }

  /** Once closing and nothing is left to write: ends the thread (its connection closes there). */
  private finishIfIdle(): void {
    const closed = this.closed;
    if (!closed || this.inflight || this.queue.length > 0) return;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return closed();
    worker.ref();
    worker.once('exit', () => closed());
    worker.postMessage('close');
  }

  private enqueue(op: WriteOp): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.inflight) this.send();
    });
  }

  private send(): void {
    const worker = this.worker;
    if (!worker || this.queue.length === 0) return;
    this.inflight = this.queue;
    this.queue = [];
    const request: WriterRequest = { seq: ++this.seq, ops: this.inflight.map((q) => q.op) };
    worker.ref(); // a write in flight keeps the process alive until it is committed
    worker.postMessage(request);
  }

  private answered(reply: WriterReply): void {
    const batch = this.inflight;
    this.inflight = undefined;
    this.worker?.unref();
    if (!batch || reply.seq !== this.seq) return;
    if ('error' in reply) {
      const error = new StoreError(`could not write to the state database ${this.path}: ${reply.error}`);
      for (const q of batch) q.reject(error);
    } else batch.forEach((q, i) => q.resolve(reply.results[i]!));
    if (this.queue.length > 0) this.send();
    else this.finishIfIdle();
  }

  private failed(cause: Error): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.inThread();
    const error = new StoreError(`the delivery writer thread failed: ${cause.message}; writing on the main thread from now on`, { cause });
    for (const q of [...(this.inflight ?? []), ...this.queue]) q.reject(error);
    this.inflight = undefined;
    this.queue = [];
    void worker.terminate();
    this.onFailure(error);
    this.up?.();
    this.finishIfIdle();
  }
}

/**
 * From a build the compiled worker file runs as is. From the sources (a checkout run through tsx) a worker thread
 * does not inherit tsx's loader, so a small bootstrap registers tsx in the thread before importing the `.ts` file.
 */
function startWriterThread(options: { workerData: unknown }): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const script = new URL('./delivery-writer-worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(new URL('./delivery-writer-worker.js', here), options);
}
