import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestContext } from 'node:test';
import { letterbox, type Frame } from '../../src/frames/index.js';
import { YOLOX_MODEL } from './paths.js';
import { tempDir } from './temp.js';

const exec = promisify(execFile);

/** A fresh asset directory holding models/yolox_nano.onnx (a link to the shared model), removed after the test. */
export async function modelAssetDir(t: TestContext, model = YOLOX_MODEL): Promise<string> {
  const dir = await tempDir(t, 'vigie-inference-');
  await mkdir(join(dir, 'models'));
  await symlink(model, join(dir, 'models', 'yolox_nano.onnx'));
  return dir;
}

/**
 * One picture of an image or video file (at `seekSeconds`) decoded by ffmpeg and letterboxed the way ingest does:
 * scaled into the model input, top-left, padded with grey 114, packed bgr24.
 */
export async function letterboxedFrame(file: string, options: { width?: number; height?: number; seekSeconds?: number; cameraId?: string; sequence?: number } = {}): Promise<Frame> {
  const input = { width: options.width ?? 416, height: options.height ?? 416 };
  const probe = await exec('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]);
  const [sourceWidth, sourceHeight] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const geometry = letterbox({ width: sourceWidth, height: sourceHeight }, input, 'bgr24');
  const seek = options.seekSeconds === undefined ? [] : ['-ss', String(options.seekSeconds)];
  const { stdout } = await exec(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', ...seek, '-i', file, '-frames:v', '1', '-vf', `scale=${geometry.scaledWidth}:${geometry.scaledHeight},pad=${input.width}:${input.height}:0:0:color=0x727272`, '-pix_fmt', 'bgr24', '-f', 'rawvideo', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const { scaledWidth: _w, scaledHeight: _h, ...frameGeometry } = geometry;
  return { cameraId: options.cameraId ?? 'test-camera', sequence: options.sequence ?? 1, captureTime: Date.now(), geometry: frameGeometry, data: stdout };
}
