import { access, constants } from 'node:fs/promises';
import { ToolMissingError, VideoFileError, VideoSourceError } from '../errors/index.js';
import { runFfmpeg } from '../rtsp/index.js';

/** What the simulator needs to know about a video file to describe it as a camera stream. */
export interface VideoInfo {
  path: string;
  codec: string;
  width: number;
  height: number;
  /** Frames per second. */
  fps: number;
  /** Average bit rate, kbit/s. */
  bitrateKbps: number;
  /** `Baseline`, `Main`, `Extended` or `High` (ONVIF's tt:H264Profile). */
  h264Profile: 'Baseline' | 'Main' | 'Extended' | 'High';
  /** Frames between key frames (estimated from the first key frames). */
  govLength: number;
}

interface ProbeJson {
  streams?: Array<{ codec_name?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; profile?: string; bit_rate?: string }>;
  format?: { bit_rate?: string };
  packets?: Array<{ pts_time?: string; flags?: string }>;
}

function rate(text: string | undefined): number {
  const [n, d] = (text ?? '').split('/').map(Number);
  return n && d ? n / d : 0;
}

function profileOf(text: string | undefined): VideoInfo['h264Profile'] {
  const p = (text ?? '').toLowerCase();
  if (p.includes('baseline')) return 'Baseline';
  if (p.includes('extended')) return 'Extended';
  if (p.includes('high')) return 'High';
  return 'Main';
}

/** Reads a video file's first video stream with ffprobe; refuses what the simulator cannot stream. */
export async function probeVideo(path: string, options: { requireH264?: boolean } = {}): Promise<VideoInfo> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new VideoFileError(path, 'the file does not exist or is not readable', { cause: error });
  }
  let out: Buffer;
  try {
    out = await runFfmpeg(
      ['-v', 'error', '-select_streams', 'v:0', '-show_streams', '-show_format', '-read_intervals', '%+12', '-show_packets', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,r_frame_rate,profile,bit_rate:format=bit_rate:packet=pts_time,flags', '-of', 'json', path],
      { command: 'ffprobe', label: path, timeoutMs: 30_000 },
    );
  } catch (error) {
    if (error instanceof ToolMissingError) throw error;
    throw new VideoFileError(path, `ffprobe cannot read it (${error instanceof VideoSourceError ? error.message : String(error)})`, { cause: error });
  }
  const json = JSON.parse(out.toString('utf8')) as ProbeJson;
  const stream = json.streams?.[0];
  if (!stream?.width || !stream.height) throw new VideoFileError(path, 'it has no video stream');
  if ((options.requireH264 ?? true) && stream.codec_name !== 'h264') {
    throw new VideoFileError(path, `its video is ${stream.codec_name ?? 'of an unknown codec'}, not H.264`);
  }
  const fps = rate(stream.avg_frame_rate) || rate(stream.r_frame_rate) || 25;
  const keyTimes = (json.packets ?? []).filter((p) => p.flags?.startsWith('K')).map((p) => Number(p.pts_time));
  const gaps = keyTimes.slice(1).map((t, i) => t - keyTimes[i]!).filter((g) => g > 0);
  const govLength = gaps.length ? Math.max(1, Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length) * fps)) : Math.round(fps * 2);
  const bitRate = Number(stream.bit_rate ?? json.format?.bit_rate ?? 0);
  return {
    path,
    codec: stream.codec_name ?? 'unknown',
    width: stream.width,
    height: stream.height,
    fps: Math.round(fps * 1000) / 1000,
    bitrateKbps: Math.max(1, Math.round(bitRate / 1000)),
    h264Profile: profileOf(stream.profile),
    govLength,
  };
}
