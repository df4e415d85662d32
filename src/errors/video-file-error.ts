import { VigieError } from './vigie-error.js';

/** A video file given to Vigie cannot be used: missing, unreadable, without video, or not H.264. */
export class VideoFileError extends VigieError {
  readonly code = 'VIDEO_FILE_INVALID';

  constructor(readonly path: string, detail: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`video file ${path}: ${detail}`, {
      cause: options.cause,
      hint:
        options.hint ??
        'give an existing, readable file with an H.264 video stream (convert one with: ffmpeg -i IN -c:v libx264 -pix_fmt yuv420p -an OUT.mp4)',
    });
  }
}
