/**
 * Reads the camera picture size from what ffmpeg prints about its input (`-loglevel info`), e.g.
 * `  Stream #0:0: Video: h264 (Main), yuv420p(progressive), 768x576, 10 fps, ...`. Only the input section counts:
 * the output section describes the letterboxed frames. One ffmpeg run, no second connection to the camera (an
 * ffprobe would cost one more RTSP session and, with a wrong password, one more failed login).
 */
export class PictureSizeReader {
  private section: 'none' | 'input' | 'output' = 'none';
  private partial = '';
  private found: { width: number; height: number } | undefined;

  /** The picture size, once ffmpeg printed it. */
  get size(): { width: number; height: number } | undefined {
    return this.found;
  }

  /** Feeds ffmpeg's stderr text; returns the size when this text completed it. */
  push(text: string): { width: number; height: number } | undefined {
    if (this.found) return undefined;
    const lines = (this.partial + text).split(/\r?\n|\r/);
    this.partial = (lines.pop() ?? '').slice(-4096);
    for (const line of lines) {
      const size = this.line(line);
      if (size) {
        this.found = size;
        return size;
      }
    }
    return undefined;
  }

  private line(line: string): { width: number; height: number } | undefined {
    if (line.startsWith('Input #')) this.section = 'input';
    else if (line.startsWith('Output #')) this.section = 'output';
    if (this.section !== 'input') return undefined;
    return parseVideoStreamLine(line);
  }
}

/** The `WxH` of an ffmpeg `Stream #i:j...: Video: ...` line; undefined for other lines. */
export function parseVideoStreamLine(line: string): { width: number; height: number } | undefined {
  if (!/^\s*Stream #\d+:\d+\S*: Video: /.test(line)) return undefined;
  const m = /, (\d{2,5})x(\d{2,5})\b/.exec(line);
  if (!m) return undefined;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}
