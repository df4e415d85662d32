import { spawn } from 'node:child_process';
import { EvidenceError, ToolMissingError } from '../errors/index.js';
import type { Picture } from './snapshot-image.js';

/**
 * Encodes a picture as JPEG with ffmpeg (raw pixels on standard input, one JPEG on standard output). ffmpeg is
 * already what Vigie decodes video with, so evidence costs no new dependency; one short process per incident.
 */
export function encodeJpeg(picture: Picture, options: { quality?: number; ffmpeg?: string } = {}): Promise<Buffer> {
  const ffmpeg = options.ffmpeg ?? 'ffmpeg';
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', picture.pixelFormat, '-s', `${picture.width}x${picture.height}`, '-i', 'pipe:0', '-frames:v', '1', '-q:v', String(options.quality ?? 5), '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new ToolMissingError(ffmpeg, e) : e));
    child.stdin.on('error', (e) => {
      err += `\n${e.message}`;
    });
    child.on('close', (code) => {
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) resolve(jpeg);
      else reject(new EvidenceError(`ffmpeg could not encode it as JPEG (exit ${code}): ${err.trim().slice(0, 300)}`));
    });
    child.stdin.end(picture.data);
  });
}
