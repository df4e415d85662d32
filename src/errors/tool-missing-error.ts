import { VigieError } from './vigie-error.js';

/** An external program Vigie runs (ffmpeg, ffprobe) is not installed or not on PATH. */
export class ToolMissingError extends VigieError {
  readonly code = 'TOOL_MISSING';

  constructor(readonly tool: string, cause?: unknown) {
    super(`${tool} was not found on PATH`, {
      cause,
      hint: `install it (Debian/Ubuntu: apt-get install ffmpeg), or put the directory that holds ${tool} on PATH`,
    });
  }
}
