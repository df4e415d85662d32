import type { FrameBufferSource } from '../frames/index.js';

/** Hands the buffer of the frame just completed to a consumer for good; the ring fills a new buffer in its place. */
export type TakeFrame = () => Buffer;

/**
 * Cuts ffmpeg's raw video output into frames without allocating per frame: bytes are copied into a ring of
 * preallocated frame buffers (no concatenation), and a completed buffer is handed out; it is written again only
 * `slots - 1` frames later, so a consumer that keeps a frame briefly (or copies it) is safe. A consumer that keeps
 * it longer takes it: the ring puts a buffer from `allocate` in its place (the consumer's pool), so the pixels
 * reach the consumer without a copy.
 */
export class FrameRing {
  private readonly buffers: Buffer[];
  private slot = 0;
  private filled = 0;

  constructor(
    readonly frameBytes: number,
    slots = 3,
    private readonly allocate: FrameBufferSource = (bytes) => Buffer.allocUnsafe(bytes),
  ) {
    this.buffers = Array.from({ length: Math.max(1, slots) }, () => allocate(frameBytes));
  }

  /** Drops a partial frame (a new ffmpeg run starts on a frame boundary). */
  reset(): void {
    this.filled = 0;
  }

  /** The part of the frame being filled that is still empty: where the next bytes go (never empty). */
  target(): Buffer {
    return this.buffers[this.slot]!.subarray(this.filled);
  }

  /** `n` bytes were written into `target()`; calls `onFrame` with the buffer when that completes the frame. */
  advance(n: number, onFrame: (frame: Buffer, take: TakeFrame) => void): void {
    this.filled += n;
    if (this.filled < this.frameBytes) return;
    this.complete(onFrame);
  }

  /** Copies `chunk` in; calls `onFrame` for every frame it completes, with the buffer holding it. */
  push(chunk: Buffer, onFrame: (frame: Buffer, take: TakeFrame) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const target = this.buffers[this.slot]!;
      const n = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      chunk.copy(target, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) this.complete(onFrame);
    }
  }

  private complete(onFrame: (frame: Buffer, take: TakeFrame) => void): void {
    const index = this.slot;
    const frame = this.buffers[index]!;
    this.filled = 0;
    this.slot = (this.slot + 1) % this.buffers.length;
    let handing = true;
    try {
      onFrame(frame, () => {
        if (!handing) throw new Error('FrameRing take() called after onFrame returned: the ring may already be writing into that buffer');
        if (this.buffers[index] === frame) this.buffers[index] = this.allocate(this.frameBytes);
        return frame;
      });
    } finally {
      handing = false;
    }
  }
}
