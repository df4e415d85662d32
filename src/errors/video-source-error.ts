import { VigieError } from './vigie-error.js';

/** A video source (an ffmpeg reader of a file or stream) failed, or gave nothing usable in time. */
export class VideoSourceError extends VigieError {
  readonly code = 'VIDEO_SOURCE_FAILED';

  constructor(readonly source: string, detail: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`video source ${source}: ${detail}`, {
      cause: options.cause,
      hint: options.hint ?? 'check that the file or stream exists, is readable and holds H.264 video (ffprobe FILE shows it); the last lines ffmpeg printed are in the log',
    });
  }
}
