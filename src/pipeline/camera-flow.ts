import type { Frame } from '../frames/index.js';
import { frameByteLength } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import type { FrameResult, FrameTransport } from '../queue/index.js';
import type { FrameDetections } from '../sdk/index.js';
import type { PipelineMetrics } from './pipeline-metrics.js';

interface InFlight {
  frame: Frame;
  queuedAt: number;
}

export type DropReason = 'backpressure' | 'queue-unavailable' | 'expired' | 'failed';

export interface CameraFlowStats {
  /** Frames handed over by ingest (after motion gating). */
  offered: number;
  /** Frames put in the queue. */
  queued: number;
  inferred: number;
  dropped: Record<DropReason, number>;
  inFlight: number;
  /** Results per worker name. */
  workers: Record<string, number>;
  /** Capture to detection of the last results, ms (up to 200 kept). */
  recentLatencyMs: number[];
}

export interface CameraFlowOptions {
  cameraId: string;
  owner: string;
  transport: FrameTransport;
  maxInFlight: number;
  ttlMs: number;
  metrics: PipelineMetrics;
  logger: Logger;
  /** A unique reference for a new frame. */
  nextRef(): string;
  emit(detections: FrameDetections, frame: Frame): void;
}

/**
 * One camera's frames between ingest and the queue, in the owning process: at most `maxInFlight` frames queued or
 * under inference. A new frame over the bound drops the oldest frame still waiting in the queue (latest frame wins)
 * when the transport replaces waiting frames cheaply (embedded); otherwise (Redis), or when every frame in flight
 * is already under inference, the new one waits as the single pending frame, replaced by any newer one. Every drop
 * is counted with its reason. A frame whose result does not come back within the TTL (worker killed, Redis
 * restarted, no worker at all) is forgotten and counted as expired.
 */
export class CameraFlow {
  private readonly inFlight = new Map<string, InFlight>();
  /** Frame buffers free for the next frames (see `frameBuffer`). */
  private readonly spare: Buffer[] = [];
  private pending: Frame | undefined;
  private pumping: Promise<void> | undefined;
  private stopped = false;
  private unavailableSince = 0;
  private lastExpiryWarning = 0;
  private readonly stats: CameraFlowStats = {
    offered: 0,
    queued: 0,
    inferred: 0,
    dropped: { backpressure: 0, 'queue-unavailable': 0, expired: 0, failed: 0 },
    inFlight: 0,
    workers: {},
    recentLatencyMs: [],
  };

  constructor(private readonly o: CameraFlowOptions) {}

  /**
   * From ingest's onFrame: the frame's buffer is taken when ingest offers it (`frame.take`, its ring then refills
   * from `frameBuffer`), else copied, as `frame.data` may be reused after return.
   */
  offer(frame: Frame): void {
    if (this.stopped) return;
    this.stats.offered++;
    const bytes = frameByteLength(frame.geometry);
    // A pending frame replaced by a newer one was never queued: its buffer is free again.
    const replaced = this.pending?.data;
    if (this.pending) this.drop('backpressure');
    let data: Buffer;
    // Taken only when it is shared memory (the ring refilled from this flow's pool), which the detector reads in place.
    if (frame.take && frame.data.length === bytes && frame.data.buffer instanceof SharedArrayBuffer) {
      data = frame.take();
      if (replaced) this.recycle(replaced);
    } else {
      data = replaced?.length === bytes ? replaced : this.frameBuffer(bytes);
      frame.data.copy(data, 0, 0, bytes);
    }
    this.pending = { cameraId: frame.cameraId, sequence: frame.sequence, captureTime: frame.captureTime, geometry: frame.geometry, data };
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  /** A result for one of this camera's frames. */
  settle(result: FrameResult): void {
    const entry = this.inFlight.get(result.ref);
    if (!entry) return; // expired or dropped already
    this.inFlight.delete(result.ref);
    this.o.metrics.inFlight.set({ camera: this.o.cameraId }, this.inFlight.size);
    this.stats.workers[result.worker] = (this.stats.workers[result.worker] ?? 0) + 1;
    if (result.outcome === 'detected') {
      const latency = Date.now() - entry.frame.captureTime;
      this.stats.inferred++;
      this.stats.recentLatencyMs.push(latency);
      if (this.stats.recentLatencyMs.length > 200) this.stats.recentLatencyMs.shift();
      this.o.metrics.inferred.inc({ camera: this.o.cameraId });
      this.o.metrics.latency.observe(latency / 1000);
      this.o.emit(result.detections, entry.frame);
    } else {
      this.drop(result.outcome);
    }
    // Answered: the worker is done with the pixels and the listeners have copied what they keep.
    this.recycle(entry.frame.data);
    if (this.pending && !this.pumping) this.pumping = this.pump().finally(() => (this.pumping = undefined));
  }

  /** Forgets frames in flight for longer than the TTL. */
  expire(now: number): void {
    let expired = 0;
    for (const [ref, entry] of this.inFlight) {
      if (now - entry.queuedAt < this.o.ttlMs) continue;
      this.inFlight.delete(ref);
      void this.o.transport.store.delete(ref).catch(() => undefined);
      this.drop('expired');
      expired++;
    }
    if (expired > 0) {
      this.o.metrics.inFlight.set({ camera: this.o.cameraId }, this.inFlight.size);
      if (now - this.lastExpiryWarning > 60_000) {
        this.lastExpiryWarning = now;
        this.o.logger.warn(
          { expired, ttlSeconds: this.o.ttlMs / 1000, transport: this.o.transport.where },
          this.o.transport.mode === 'redis'
            ? 'frames got no result in time: are inference workers running? (start `vigie worker` with the same REDIS_URL)'
            : 'frames got no result in time: the detector is overloaded or stuck',
        );
      }
    }
    if (this.pending && !this.pumping) this.pumping = this.pump().finally(() => (this.pumping = undefined));
  }

  snapshot(): CameraFlowStats {
    return { ...this.stats, dropped: { ...this.stats.dropped }, workers: { ...this.stats.workers }, recentLatencyMs: [...this.stats.recentLatencyMs], inFlight: this.inFlight.size };
  }

  /** Drops what is pending and in flight (the camera is removed). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = undefined;
    await this.pumping;
    const refs = [...this.inFlight.keys()];
    this.inFlight.clear();
    this.o.metrics.inFlight.remove({ camera: this.o.cameraId });
    await Promise.allSettled(refs.map(async (ref) => {
      await this.o.transport.queue.removeWaiting(ref);
      await this.o.transport.store.delete(ref);
    }));
  }

  /**
   * A buffer for a frame's pixels: a spare one, or a new one over shared memory, so the embedded detector's worker
   * threads read it in place instead of receiving a copy (src/inference). Buffers come back through `recycle` once
   * their frame is answered: at saturation this spares the allocation (and the garbage collections it brings) of
   * every frame, 0.5 MB each at 416x416. Ingest's ring refills from here the buffers this flow takes.
   */
  frameBuffer(bytes: number): Buffer {
    const spare = this.spare.pop();
    if (spare?.length === bytes) return spare;
    this.spare.length = 0; // the frame size changed: the others are the old size too
    return Buffer.from(new SharedArrayBuffer(bytes));
  }

  /** Frames expired while under inference are not recycled: a worker may still read them. */
  private recycle(data: Buffer): void {
    if (this.spare.length < this.o.maxInFlight + 1 && data.buffer instanceof SharedArrayBuffer) this.spare.push(data);
  }

  private drop(reason: DropReason): void {
    this.stats.dropped[reason]++;
    this.o.metrics.dropped.inc({ camera: this.o.cameraId, reason });
  }

  private async pump(): Promise<void> {
    while (this.pending && !this.stopped) {
      // At the bound the pending frame waits for a slot, unless the transport cheaply swaps it for a waiting one.
      if (this.inFlight.size >= this.o.maxInFlight && !(this.o.transport.replacesWaiting && (await this.dropOldestWaiting()))) return;
      const frame = this.pending;
      if (!frame) return;
      this.pending = undefined;
      await this.submit(frame);
    }
  }

  /** Removes the oldest frame still waiting in the queue; false when every frame in flight is under inference. */
  private async dropOldestWaiting(): Promise<boolean> {
    for (const ref of [...this.inFlight.keys()]) {
      let removed: boolean;
      try {
        removed = await this.o.transport.queue.removeWaiting(ref);
      } catch (error) {
        this.o.logger.debug({ err: error }, 'cannot remove a waiting frame (Redis away)');
        return false;
      }
      if (!this.inFlight.has(ref)) return true; // its result arrived meanwhile: a slot is free
      if (removed) {
        const entry = this.inFlight.get(ref);
        this.inFlight.delete(ref);
        await this.o.transport.store.delete(ref).catch(() => undefined);
        this.drop('backpressure');
        if (entry) this.recycle(entry.frame.data); // never taken by a worker
        return true;
      }
    }
    return false;
  }

  private async submit(frame: Frame): Promise<void> {
    const { transport, owner, cameraId } = this.o;
    const ref = this.o.nextRef();
    const queuedAt = Date.now();
    this.inFlight.set(ref, { frame, queuedAt });
    try {
      if (!transport.up()) throw new Error('Redis is not connected');
      await transport.store.put(ref, frame.data);
      await transport.queue.add({ ref, owner, cameraId, sequence: frame.sequence, captureTime: frame.captureTime, queuedAt, geometry: frame.geometry });
      this.stats.queued++;
      if (this.unavailableSince) {
        this.o.logger.info({ transport: transport.where, downSeconds: Math.round((Date.now() - this.unavailableSince) / 1000) }, 'frames flow to the queue again');
        this.unavailableSince = 0;
      }
    } catch (error) {
      this.inFlight.delete(ref);
      void transport.store.delete(ref).catch(() => undefined);
      this.drop('queue-unavailable');
      if (!this.unavailableSince) {
        this.unavailableSince = Date.now();
        this.o.logger.warn({ err: error, transport: transport.where }, 'cannot queue frames (Redis away): they are dropped and counted until it is back');
      }
    }
    this.o.metrics.inFlight.set({ camera: cameraId }, this.inFlight.size);
  }
}
