/** One H.264 access unit (a frame) from a source. */
export interface AccessUnit {
  /** NAL units without start codes. */
  nals: Buffer[];
  /** Presentation time, 90 kHz, as the source stamped it (unwrapped, may start anywhere). */
  pts: number;
  /** Contains an IDR slice: a decoder can start here. */
  keyframe: boolean;
  /** Wall time (epoch ms) the frame had fully arrived from its source, when the source knows it. */
  receivedAt?: number;
}

export interface H264SourceEvents {
  accessUnit: [AccessUnit];
  /** The source (re)started: timestamps may jump. */
  started: [];
  /** The source failed; it may restart on its own (see `restarting`). */
  failed: [Error];
}

/** A producer of H.264 access units: an ffmpeg reader of a file or camera, later the analytics pipeline's encoder. */
export interface H264Source {
  start(): void;
  stop(): Promise<void>;
  on<E extends keyof H264SourceEvents>(event: E, listener: (...args: H264SourceEvents[E]) => void): this;
  off<E extends keyof H264SourceEvents>(event: E, listener: (...args: H264SourceEvents[E]) => void): this;
}
