import { StreamAuthError, StreamFailedError, ToolMissingError, type StreamFailure, type VigieError } from '../errors/index.js';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

const PATTERNS: Array<[RegExp, StreamFailure]> = [
  [/connection refused/i, 'refused'],
  [/404 not found|failed to resolve hostname|name or service not known|no address associated|temporary failure in name resolution|no such file or directory/i, 'not-found'],
  [/no route to host|network is unreachable/i, 'unreachable'],
  [/timed out|timeout/i, 'timeout'],
  [/invalid data found|does not contain any stream|could not find codec|no decoder|matches no streams|decoding error/i, 'bad-stream'],
];

/**
 * Names why an ffmpeg run of a camera ended, from its exit and its last stderr lines (already redacted): the
 * error the user sees in the log, `stats().lastError` and the health of the camera.
 */
export function classifyFfmpegExit(camera: string, url: string, exit: FfmpegExit, stderrTail: readonly string[]): VigieError {
  if (exit.error instanceof ToolMissingError) return exit.error;
  const text = stderrTail.join('\n');
  const last = stderrTail.filter((l) => !/^\s*(Metadata|handler_name|vendor_id|encoder|major_brand|minor_version|compatible_brands)\b/.test(l)).slice(-2).join(' | ');
  if (/\b401 Unauthorized\b/i.test(text)) return new StreamAuthError(camera, url, 401);
  if (/\b403 Forbidden\b/i.test(text)) return new StreamAuthError(camera, url, 403);
  for (const [pattern, reason] of PATTERNS) if (pattern.test(text)) return new StreamFailedError(camera, url, reason, { detail: last || undefined });
  if (exit.error) return new StreamFailedError(camera, url, 'other', { detail: exit.error.message, cause: exit.error });
  if (exit.code === 0) return new StreamFailedError(camera, url, 'ended', { detail: last || undefined });
  return new StreamFailedError(camera, url, 'other', { detail: `ffmpeg exited with ${exit.code ?? exit.signal}${last ? `: ${last}` : ''}` });
}
