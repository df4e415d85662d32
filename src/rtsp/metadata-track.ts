import type { MediaClock } from './media-clock.js';
import type { MediaTrack, RtpUnit, RtpUnitListener } from './media-track.js';

export interface MetadataTrackOptions {
  /** Dynamic payload type. @defaultValue 107 */
  payloadType?: number;
  /** Largest RTP payload; a longer document spans several packets. @defaultValue 1400 */
  maxPayloadSize?: number;
  /** Wall clock in ms, for timestamps when the caller gives none. @defaultValue Date.now */
  now?: () => number;
  /** The clock reference of the media (fed by its video track): documents are stamped on the video's timeline. */
  clock?: MediaClock;
}

const CLOCK = 90_000;

/**
 * An ONVIF metadata track (`vnd.onvif.metadata/90000`, ONVIF Streaming §5.1.2.1): each published XML document is
 * split into RTP payloads, the marker bit set on the packet that closes the document. Timestamps are 90 kHz on
 * the wall clock unless the caller stamps a document with its video frame's time.
 */
export class OnvifMetadataTrack implements MediaTrack {
  readonly kind = 'application';
  readonly clockRate = CLOCK;
  readonly payloadType: number;
  private readonly listeners = new Set<RtpUnitListener>();
  private readonly now: () => number;
  private lastTs = 0;
  private lastWallMs = 0;

  constructor(private readonly options: MetadataTrackOptions = {}) {
    this.payloadType = options.payloadType ?? 107;
    this.now = options.now ?? Date.now;
  }

  sdpAttributes(): string[] {
    return [`a=rtpmap:${this.payloadType} vnd.onvif.metadata/${CLOCK}`, 'a=recvonly'];
  }

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  acquire(): void {}

  release(): void {}

  subscribe(listener: RtpUnitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  currentTimestamp(): number {
    if (this.options.clock) return this.options.clock.timestampAt(this.now());
    return this.wallTimestamp();
  }

  /** Number of sessions receiving this track now. */
  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * Sends one XML document (a `tt:MetadataStream`) to every playing client. `timestamp90k` places it on the same
   * timeline as the video frame it describes; by default it is stamped with the wall clock.
   */
  publish(document: string | Buffer, timestamp90k?: number): void {
    const data = typeof document === 'string' ? Buffer.from(document, 'utf8') : document;
    if (data.length === 0) return;
    const timestamp = timestamp90k ?? this.wallTimestamp();
    this.lastTs = timestamp;
    this.lastWallMs = this.now();
    if (this.listeners.size === 0) return;
    const max = this.options.maxPayloadSize ?? 1400;
    const units: RtpUnit[] = [];
    for (let offset = 0; offset < data.length; offset += max) {
      const end = Math.min(offset + max, data.length);
      units.push({ parts: [data.subarray(offset, end)], marker: end === data.length, timestamp, syncPoint: offset === 0 });
    }
    for (const listener of this.listeners) listener(units);
  }

  /**
   * Sends a document describing what happened at wall time `wallMs` (epoch ms, e.g. the capture time of the
   * analysed frame), stamped through the media's clock so it lines up with the video frame of that moment.
   */
  publishAt(document: string | Buffer, wallMs: number): void {
    this.publish(document, this.options.clock ? this.options.clock.timestampAt(wallMs) : Math.round((wallMs * CLOCK) / 1000));
  }

  private wallTimestamp(): number {
    if (this.lastWallMs === 0) return Math.round((this.now() * CLOCK) / 1000);
    return this.lastTs + Math.round(((this.now() - this.lastWallMs) * CLOCK) / 1000);
  }
}
