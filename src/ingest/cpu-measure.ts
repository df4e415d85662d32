import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { silentLogger, type Logger } from '../logging/index.js';
import { processCpuSeconds } from '../metrics/index.js';
import { CameraIngest, type IngestSource } from './camera-ingest.js';
import { ingestFfmpegArgs, type IngestInput } from './ffmpeg-args.js';
import { openFramePipe } from './frame-pipe.js';
import type { IngestSettings } from './settings.js';

export interface CpuMeasureOptions {
  url: string;
  settings: IngestSettings;
  input: IngestInput;
  /** Measured time, after the warm-up. */
  seconds: number;
  /** Time before measuring (ingest: after its first frame), past the connection and the first burst. @defaultValue 3 */
  warmupSeconds?: number;
}

export interface CpuMeasure {
  /** CPU seconds per second of wall time (1 = one core). */
  cpuPerSecond: number;
  cpuSeconds: number;
  wallSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * ffmpeg alone, with the very arguments ingest uses (`ingestFfmpegArgs`), its frames written into a pipe that is
 * drained and discarded: the baseline of the ingest CPU ratio (performance.md §7: ingest ≤ 1.15x bare ffmpeg).
 */
export async function measureBareFfmpeg(options: CpuMeasureOptions): Promise<CpuMeasure> {
  // Frames go into the same kind of pipe as ingest's (a frame pipe; writing to /dev/null would spare ffmpeg the
  // pipe's wake-ups), drained here into one scratch buffer; only ffmpeg's own CPU is counted.
  const pipe = await openFramePipe().catch(() => undefined);
  const child = spawn(options.settings.ffmpegPath, ingestFfmpegArgs(options.url, options.settings, options.input), { stdio: ['pipe', pipe?.writeFd ?? 'pipe', 'ignore'] });
  pipe?.spawned();
  const scratch = Buffer.allocUnsafe(64 * 1024);
  pipe?.read(
    () => scratch,
    () => undefined,
  );
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('error', () => undefined); // a missing ffmpeg shows as no CPU measure below, with its reason
  try {
    await sleep((options.warmupSeconds ?? 3) * 1000);
    const pid = child.pid;
    const start = pid === undefined ? undefined : await processCpuSeconds(pid);
    const t0 = performance.now();
    await sleep(options.seconds * 1000);
    const end = pid === undefined ? undefined : await processCpuSeconds(pid);
    const wallSeconds = (performance.now() - t0) / 1000;
    if (start === undefined || end === undefined) throw new Error('ffmpeg ended before the measure finished (or /proc is not readable)');
    return { cpuSeconds: end - start, wallSeconds, cpuPerSecond: (end - start) / wallSeconds };
  } finally {
    child.stdin?.end('q\n');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    pipe?.close();
  }
}

export interface IngestCpuMeasure extends CpuMeasure {
  /** The ffmpeg child's share. */
  ffmpegCpuSeconds: number;
  /** Time this process spent in ingest's stdout handling (copy into the ring, motion gating), excluding the consumer. */
  readerCpuSeconds: number;
  /**
   * CPU this whole Node process used meanwhile (process.cpuUsage): an upper bound of ingest's share that includes
   * the pipe reads and garbage collection, honest only when nothing else runs in the process.
   */
  processCpuSeconds: number;
  frames: number;
}

/**
 * A CameraIngest on `url` (frames consumed by a no-op), measured like `measureBareFfmpeg`: ffmpeg's CPU from /proc
 * plus the time spent in ingest's own JavaScript per frame (`stats().readerSeconds`). Run the two one after the
 * other, not together, on an otherwise quiet machine.
 */
export async function measureIngestCpu(options: CpuMeasureOptions & { logger?: Logger; source?: Partial<IngestSource> }): Promise<IngestCpuMeasure> {
  let frames = 0;
  const ingest = new CameraIngest({
    source: { cameraId: 'bench', name: 'bench', ...options.source, url: options.url },
    settings: options.settings,
    input: options.input,
    logger: options.logger ?? silentLogger(),
    measureReaderCpu: true,
    onFrame: () => {
      frames += 1;
    },
  });
  ingest.start();
  try {
    for (let waited = 0; ingest.stats().state !== 'running' && waited < 30_000; waited += 100) await sleep(100);
    await sleep((options.warmupSeconds ?? 3) * 1000);
    const before = ingest.stats();
    if (before.pid === undefined || before.state !== 'running') throw new Error(`ingest is not running after the warm-up: ${before.lastError ?? before.state}`);
    const start = await processCpuSeconds(before.pid);
    const frames0 = frames;
    const usage0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(options.seconds * 1000);
    const after = ingest.stats();
    const usage = process.cpuUsage(usage0);
    const end = after.pid === before.pid ? await processCpuSeconds(before.pid) : undefined;
    const wallSeconds = (performance.now() - t0) / 1000;
    if (start === undefined || end === undefined) throw new Error('ffmpeg restarted during the measure');
    const ffmpegCpuSeconds = end - start;
    const readerCpuSeconds = after.readerSeconds - before.readerSeconds;
    const cpuSeconds = ffmpegCpuSeconds + readerCpuSeconds;
    return { cpuSeconds, wallSeconds, cpuPerSecond: cpuSeconds / wallSeconds, ffmpegCpuSeconds, readerCpuSeconds, processCpuSeconds: (usage.user + usage.system) / 1e6, frames: frames - frames0 };
  } finally {
    await ingest.stop();
  }
}
