import type { VigieConfig } from '../config/index.js';
import type { Frame, FrameBufferSource } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import type { FrameDetections } from '../sdk/index.js';

/** The model input frames are letterboxed to. */
export interface ModelInputFormat {
  width: number;
  height: number;
  pixelFormat: 'bgr24' | 'rgb24';
}

/** What the pipeline needs of a detector (src/inference `Detector`). */
export interface FrameDetector {
  readonly model: { id: string; sha256: string; classes: readonly string[]; input: ModelInputFormat };
  detect(frame: Frame): Promise<FrameDetections>;
  readonly workerCount: number;
  close(): Promise<void>;
}

/** A camera to analyse (src/ingest `IngestSource`). */
export interface PipelineSource {
  cameraId: string;
  name: string;
  /** rtsp://user:pass@host/... (credentials never logged). */
  url: string;
  width?: number;
  height?: number;
}

/** Per-camera overrides of the global ingest settings (cameras[].ingest). */
export type CameraIngestOverrides = NonNullable<VigieConfig['cameras'][number]['ingest']>;

/** What the pipeline needs of one camera's ingest (src/ingest `CameraIngest`). */
export interface CameraIngestLike {
  start(): void;
  stop(): Promise<void>;
  stats(): IngestStatsLike;
}

export interface IngestStatsLike {
  decoded: number;
  skippedByMotion: number;
  restarts: number;
  /** starting, running, backoff, stopped (src/ingest may add states). */
  state: string;
  lastError?: string;
}

/** Builds one camera's ingest (the composition root passes src/ingest's CameraIngest). */
export type IngestFactory = (options: {
  source: PipelineSource;
  overrides: CameraIngestOverrides | undefined;
  input: ModelInputFormat;
  logger: Logger;
  metrics?: Registry;
  onFrame(frame: Frame): void;
  /** The camera's frame buffer pool: an ingest that offers `Frame.take` refills its ring from it. */
  frameBuffers?: FrameBufferSource;
}) => CameraIngestLike;
