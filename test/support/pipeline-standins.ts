import assert from 'node:assert/strict';
import type { Frame } from '../../src/frames/index.js';
import { letterbox } from '../../src/frames/index.js';
import type { CameraIngestLike, FrameDetector, IngestFactory, IngestStatsLike } from '../../src/pipeline/index.js';
import type { FrameDetections } from '../../src/sdk/index.js';

export const INPUT = { width: 32, height: 32, pixelFormat: 'bgr24' as const };

/**
 * A camera ingest stand-in: the test pushes frames by hand (`push`) instead of decoding a stream. Each frame's
 * first byte is its sequence number modulo 256, so a detector can prove which pixels reached it.
 */
export class ManualIngests {
  readonly byCamera = new Map<string, { push(sequence?: number): Frame; started: boolean; stopped: boolean; taken: Buffer[]; refills: Buffer[] }>();

  /** With `taking`, frames offer `take` and are filled in buffers from the pipeline's pool, as CameraIngest's ring does. */
  constructor(private readonly taking = false) {}

  factory: IngestFactory = (o) => {
    let sequence = 0;
    const geometry = letterbox({ width: 64, height: 48 }, o.input);
    const bytes = o.input.width * o.input.height * 3;
    const refill = () => {
      const b = this.taking && o.frameBuffers ? o.frameBuffers(bytes) : Buffer.alloc(bytes);
      state.refills.push(b);
      return b;
    };
    const state = {
      started: false,
      stopped: false,
      taken: [] as Buffer[],
      refills: [] as Buffer[],
      push: (seq?: number) => {
        sequence = seq ?? sequence + 1;
        const data = refill().fill(sequence % 256);
        let handing = true;
        const take = () => {
          assert.ok(handing, 'take() only during onFrame');
          state.taken.push(data);
          return data;
        };
        const frame: Frame = { cameraId: o.source.cameraId, sequence, captureTime: Date.now(), geometry, data, ...(this.taking ? { take } : {}) };
        o.onFrame(frame);
        handing = false;
        // Ingest reuses its buffer after onFrame returns, unless taken: the pipeline must have copied or taken it.
        if (!state.taken.includes(data)) data.fill(0);
        return frame;
      },
    };
    this.byCamera.set(o.source.cameraId, state);
    const ingest: CameraIngestLike = {
      start: () => void (state.started = true),
      stop: () => {
        state.stopped = true;
        return Promise.resolve();
      },
      stats: (): IngestStatsLike => ({ decoded: sequence, skippedByMotion: 0, restarts: 0, state: state.stopped ? 'stopped' : 'running' }),
    };
    return ingest;
  };
}

/**
 * A detector stand-in whose calls the test releases one by one (`release()`), or that answers at once
 * (`autoRelease`). Its one detection carries the first pixel byte as score/255: the pixels made the trip.
 */
export class GateDetector implements FrameDetector {
  readonly model = { id: 'stand-in', sha256: '0'.repeat(64), classes: ['person'], input: INPUT };
  readonly workerCount: number;
  readonly seen: number[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor(
    workerCount = 1,
    private autoRelease = false,
    /** With autoRelease: how long each call takes, ms. */
    private readonly delayMs = 0,
  ) {
    this.workerCount = workerCount;
  }

  async detect(frame: Frame): Promise<FrameDetections> {
    this.seen.push(frame.sequence);
    const firstByte = frame.data[0]!;
    if (!this.autoRelease) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return {
      cameraId: frame.cameraId,
      sequence: frame.sequence,
      captureTime: frame.captureTime,
      width: frame.geometry.sourceWidth,
      height: frame.geometry.sourceHeight,
      model: { id: this.model.id, sha256: this.model.sha256 },
      detections: [{ label: 'person', classId: 0, score: firstByte / 255, box: { x1: 0.1, y1: 0.1, x2: 0.2, y2: 0.4 } }],
    };
  }

  /** Calls waiting now. */
  pending(): number {
    return this.waiting.length;
  }

  release(): void {
    this.waiting.shift()?.();
  }

  releaseAll(): void {
    this.autoRelease = true;
    while (this.waiting.length) this.release();
  }

  close(): Promise<void> {
    this.releaseAll();
    return Promise.resolve();
  }
}

/** Resolves when `check` passes (polled every 20 ms), or rejects with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
