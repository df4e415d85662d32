import { stat } from 'node:fs/promises';
import { sharedClip, type H264Clip } from '../rtsp/index.js';
import type { SimulatorOptions } from './options.js';
import type { VideoInfo } from './video-file.js';

/** Reads a stream's clip on first use, once for every camera. */
export type ClipLoader = () => Promise<H264Clip>;

/**
 * The in-memory clip of a stream when its file fits under `preloadMaxMB`, else undefined (the cameras then stream
 * it from disk through ffmpeg). Nothing is read here: the first camera to play the stream reads it.
 */
export async function preloaded(video: VideoInfo, options: Pick<SimulatorOptions, 'preloadMaxMB'>): Promise<ClipLoader | undefined> {
  const maxBytes = options.preloadMaxMB * 2 ** 20;
  const { size } = await stat(video.path);
  return size <= maxBytes && maxBytes > 0 ? sharedClip(video.path, { maxBytes }) : undefined;
}
