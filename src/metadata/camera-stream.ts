import type { Logger } from '../logging/index.js';
import { FfmpegH264Source, H264Track, MediaClock, OnvifMetadataTrack, type RtspMedia } from '../rtsp/index.js';
import { buildMetadataDocument } from './metadata-document.js';
import type { MetadataFrame, MetadataOptions } from './metadata-frame.js';

export interface CameraStreamOptions {
  cameraId: string;
  name: string;
  /** The camera's RTSP URL, credentials inline (never logged). */
  url: string;
  videoSourceToken: string;
  videoSourceConfigurationToken: string;
  analyticsConfigurationToken: string;
  logger: Logger;
  lingerSeconds: number;
  ffmpegPath?: string;
  maxPayloadSize?: number;
  /** Extra ffmpeg input options for the camera (before `-i`). */
  inputArgs?: readonly string[];
}

/**
 * The metadata track of a camera's media: besides sending documents, a client that plays it keeps the camera's
 * video source running, because the video's frames are the clock reference its documents are stamped on.
 */
class CameraMetadataTrack extends OnvifMetadataTrack {
  constructor(
    private readonly video: H264Track,
    options: ConstructorParameters<typeof OnvifMetadataTrack>[0],
  ) {
    super(options);
  }

  override acquire(): void {
    this.video.acquire();
  }

  override release(): void {
    this.video.release();
  }
}

/**
 * One analysed camera on Vigie's RTSP server: its video passed through without re-encoding (`ffmpeg
 * -rtsp_transport tcp -i URL -c copy -f mpegts`, started on the first client, stopped a while after the last) and
 * the ONVIF metadata track beside it, both on one clock reference (`MediaClock`, fed by the video's frames).
 */
export class CameraStream {
  readonly clock = new MediaClock();
  readonly video: H264Track;
  readonly metadata: OnvifMetadataTrack;
  documentsSent = 0;
  lastDocumentAt: number | undefined;
  private lastFrame: { frame: MetadataFrame; at: number } | undefined;

  constructor(readonly options: CameraStreamOptions) {
    const log = options.logger;
    const source = new FfmpegH264Source({
      input: options.url,
      logger: log.child({ stream: 'passthrough' }),
      loop: false,
      realtime: false,
      // RTP over RTSP/TCP from the camera; a camera silent for 10 s ends ffmpeg, which the source restarts with backoff.
      inputArgs: ['-rtsp_transport', 'tcp', '-timeout', '10000000', '-fflags', '+nobuffer', ...(options.inputArgs ?? [])],
      ffmpegPath: options.ffmpegPath,
    });
    this.video = new H264Track({ source, logger: log, label: `camera ${options.cameraId} passthrough`, lingerSeconds: options.lingerSeconds, clock: this.clock, maxPayloadSize: options.maxPayloadSize });
    this.metadata = new CameraMetadataTrack(this.video, { clock: this.clock, maxPayloadSize: options.maxPayloadSize });
  }

  get cameraId(): string {
    return this.options.cameraId;
  }

  /** What the RTSP server mounts: video (trackID=0) and metadata (trackID=1) on one timeline. */
  media(): RtspMedia {
    return { name: this.options.name || this.options.cameraId, tracks: [this.video, this.metadata], sharedTimeline: true };
  }

  /** Clients receiving the metadata track now. */
  get metadataClients(): number {
    return this.metadata.subscribers;
  }

  /**
   * Sends the document of one analysed frame, stamped on the video's timeline at `captureTime - captureDelayMs`.
   * Nothing is built when no client plays the metadata track, or when the configuration asks for nothing this
   * frame has. Returns whether a document went out.
   */
  publish(frame: MetadataFrame, options: MetadataOptions, captureDelayMs: number): boolean {
    this.lastFrame = { frame, at: Date.now() };
    return this.send(frame, options, captureDelayMs);
  }

  /**
   * Sends a document now if none went out for `idleMs` (ONVIF: at least one document a second), or at once with
   * `force` (SetSynchronizationPoint). It describes the current scene: the last analysed frame's objects while that
   * frame is younger than `staleMs` (frames skipped by motion gating leave the objects where they were), else
   * none; stamped now less the last frame's analysis time, without events (they were sent with their frame).
   */
  keepAlive(options: MetadataOptions, captureDelayMs: number, idleMs: number, staleMs: number, force = false): boolean {
    if (this.metadata.subscribers === 0 || !options.analytics) return false;
    const now = Date.now();
    if (!force && this.lastDocumentAt !== undefined && now - this.lastDocumentAt < idleMs) return false;
    const last = this.lastFrame;
    const tracks = last && now - last.at < staleMs ? last.frame.tracks : [];
    // Stamped as late as the last frame was behind its capture (analysis time), so a frame analysed soon after
    // does not go back in time.
    const captureTime = last ? Math.max(last.frame.captureTime, now - (last.at - last.frame.captureTime)) : now;
    const frame: MetadataFrame = { cameraId: this.options.cameraId, sequence: last?.frame.sequence ?? 0, captureTime, width: last?.frame.width ?? 0, height: last?.frame.height ?? 0, tracks, events: [] };
    return this.send(frame, options, captureDelayMs);
  }

  private send(frame: MetadataFrame, options: MetadataOptions, captureDelayMs: number): boolean {
    if (this.metadata.subscribers === 0) return false;
    if (!options.analytics && !(options.events && frame.events.length > 0)) return false;
    const document = buildMetadataDocument(frame, {
      analytics: options.analytics,
      events: options.events,
      eventTopics: options.eventTopics,
      videoSourceToken: this.options.videoSourceToken,
      videoSourceConfigurationToken: this.options.videoSourceConfigurationToken,
      analyticsConfigurationToken: this.options.analyticsConfigurationToken,
    });
    this.metadata.publishAt(document, frame.captureTime - captureDelayMs);
    this.documentsSent += 1;
    this.lastDocumentAt = Date.now();
    return true;
  }

  /** Stops the passthrough now. */
  close(): Promise<void> {
    return this.video.close();
  }
}
