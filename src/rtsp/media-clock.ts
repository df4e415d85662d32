/** Window over which the least-delayed video frame defines the clock (older frames age out, so drift is followed). */
const WINDOW_MS = 5000;

/**
 * The one clock reference of a media: a mapping between the wall clock (epoch milliseconds) and the video track's
 * 90 kHz timeline. The video track reports when each frame arrived; every other track of the media (the ONVIF
 * metadata track) stamps what it sends through the same mapping, so a document describing a frame captured at
 * wall time T carries the RTP time of the video frame that arrived at T, and both tracks' RTCP sender reports give
 * the same wall time for the same RTP time.
 *
 * Arrival delays (network, ffmpeg, the demuxer) only ever make a frame late, so the mapping keeps the offset of
 * the least-delayed frame seen in the last 5 to 10 seconds. The video track places its first frame, and the first
 * after a restart, at the clock's position for its arrival, so the mapping holds across source restarts.
 */
export class MediaClock {
  readonly rate = 90_000;
  /** Largest `timestamp - wallMs * rate / 1000` in the current and the previous window. */
  private current = Number.NEGATIVE_INFINITY;
  private previous = Number.NEGATIVE_INFINITY;
  private windowStart = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** True once a video frame has anchored the mapping. */
  get anchored(): boolean {
    return Number.isFinite(this.current) || Number.isFinite(this.previous);
  }

  /** A video frame stamped `timestamp` (90 kHz, the track's timeline) arrived at `wallMs`. */
  observe(timestamp: number, wallMs: number = this.now()): void {
    if (wallMs - this.windowStart >= WINDOW_MS) {
      this.previous = this.current;
      this.current = Number.NEGATIVE_INFINITY;
      this.windowStart = wallMs;
    }
    const offset = timestamp - (wallMs * this.rate) / 1000;
    if (offset > this.current) this.current = offset;
  }

  /**
   * The timeline position of wall time `wallMs` (epoch ms). Before any video frame the wall clock itself (90 kHz
   * since the epoch) stands in.
   */
  timestampAt(wallMs: number): number {
    const offset = Math.max(this.current, this.previous);
    return Math.round((wallMs * this.rate) / 1000 + (Number.isFinite(offset) ? offset : 0));
  }

  /** The timeline position now. */
  timestampNow(): number {
    return this.timestampAt(this.now());
  }
}
