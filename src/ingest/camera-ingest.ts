import { performance } from 'node:perf_hooks';
import { StreamAuthError, StreamFailedError, ToolMissingError, type VigieError } from '../errors/index.js';
import { frameByteLength, letterbox, type Frame, type FrameBufferSource, type FrameGeometry } from '../frames/index.js';
import { cameraLogger, redactArgv, redactText, type Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import { FfmpegProcess } from '../rtsp/index.js';
import { restartDelayMs } from './backoff.js';
import { ingestFfmpegArgs, type IngestInput } from './ffmpeg-args.js';
import { classifyFfmpegExit, type FfmpegExit } from './failure.js';
import { openFramePipe, type FramePipe } from './frame-pipe.js';
import { FrameRing, type TakeFrame } from './frame-ring.js';
import { ingestCounters, type IngestCounters } from './ingest-metrics.js';
import { MotionGate } from './motion-gate.js';
import { PictureSizeReader } from './picture-size.js';
import type { IngestSettings } from './settings.js';

/** A camera stream to ingest. */
export interface IngestSource {
  cameraId: string;
  name: string;
  /** rtsp://user:pass@host/... (credentials are never logged). A file path works too (tests, benchmarks). */
  url: string;
  /** Picture size if known; ffmpeg's own description of the stream wins when they differ. */
  width?: number;
  height?: number;
}

export type IngestState = 'starting' | 'running' | 'backoff' | 'stopped';

export interface IngestStats {
  /** Frames decoded and sampled (at `sampleFps`), before motion gating. */
  decoded: number;
  /** Sampled frames not handed to `onFrame` because nothing moved. */
  skippedByMotion: number;
  /** Frames handed to `onFrame` (motion, or the forced interval). */
  passed: number;
  /** ffmpeg restarts by the watchdog (exit, stall, failure to connect). */
  restarts: number;
  state: IngestState;
  /** Why the last ffmpeg run ended (credentials removed), with the fix in `lastErrorHint`. */
  lastError?: string;
  lastErrorCode?: string;
  lastErrorHint?: string;
  /** The camera picture size as ffmpeg reported it, once known. */
  picture?: { width: number; height: number };
  /** Process id of the running ffmpeg (CPU accounting in benchmarks). */
  pid?: number;
  /**
   * CPU seconds spent in ingest's own stdout handling (copy into the ring, motion gating), the frame consumer
   * excluded; counted only with `measureReaderCpu`, 0 otherwise.
   */
  readerSeconds: number;
}

export interface CameraIngestOptions {
  source: IngestSource;
  /** The global ingest settings merged with the camera's overrides (`resolveIngestSettings`). */
  settings: IngestSettings;
  /** The model input the frames are letterboxed into. */
  input: IngestInput;
  logger: Logger;
  metrics?: Registry;
  /**
   * Called with each frame that passes motion gating (or the forced interval), synchronously from the stdout
   * reader. `frame.data` is a buffer of the ingest's ring, reused a few frames later: copy it to keep it, or
   * take it (`frame.take()`, during the call) and the ring fills a buffer from `frameBuffers` in its place.
   */
  onFrame(frame: Frame): void;
  /** Where the ring gets its frame buffers (a consumer that takes frames passes its pool). @defaultValue fresh memory */
  frameBuffers?: FrameBufferSource;
  /**
   * Counts the CPU time of ingest's own stdout handling into `stats().readerSeconds` (process.cpuUsage around
   * every pipe chunk: a system call each, measured at 4 % of a core at 200 frames/s, so for benchmarks only).
   * @defaultValue false
   */
  measureReaderCpu?: boolean;
}

type LetterboxGeometry = FrameGeometry & { scaledWidth: number; scaledHeight: number };

/** CPU milliseconds this process used since `start` (process.cpuUsage: precise, unlike wall time on a busy machine). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** How long frames already written are read after ffmpeg exits, at most, before its exit is handled. */
const DRAIN_MS = 500;

/** How often the watchdog looks for a stalled stream, at most. */
const WATCHDOG_PERIOD_MS = 1000;

/**
 * One camera's ingest: one ffmpeg (RTSP over TCP) that decodes, samples to `sampleFps` and letterboxes into the
 * model input, raw frames read from its stdout into a ring of preallocated buffers, motion gating, and a watchdog
 * that restarts ffmpeg when it exits or stalls, after an exponential backoff with jitter. Nothing runs before
 * `start()`; errors are reported through the logger and `stats()`, never thrown from the background.
 *
 * Capture time: the wall clock when the frame's last byte was read from ffmpeg's stdout, taken from a monotonic
 * clock anchored to the wall clock at each ffmpeg start, in integer epoch milliseconds, strictly increasing per
 * camera (a wall clock step backwards never makes a frame older than the one before it).
 */
export class CameraIngest {
  private readonly source: IngestSource;
  private readonly settings: IngestSettings;
  private readonly input: IngestInput;
  private readonly onFrameListener: (frame: Frame) => void;
  private readonly log: Logger;
  private readonly redactedUrl: string;
  private readonly metricsRegistry: Registry | undefined;
  private readonly measureReaderCpu: boolean;
  private counters: IngestCounters | undefined;

  private state: IngestState = 'stopped';
  private started = false;
  private stopRequested = false;
  private stopping: Promise<void> | undefined;

  private process: FfmpegProcess | undefined;
  private pipe: FramePipe | undefined;
  /** Set once `mkfifo` failed: later runs read ffmpeg's stdout. */
  private noFramePipe = false;
  private pid: number | undefined;
  private runId = 0;
  private runStartedAt = 0;
  private firstFrameAt: number | undefined;
  private lastFrameAt: number | undefined;
  private stallError: VigieError | undefined;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;

  private ring: FrameRing | undefined;
  private readonly frameBuffers: FrameBufferSource | undefined;
  private gate: MotionGate;
  private geometry: LetterboxGeometry | undefined;
  private picture: { width: number; height: number } | undefined;
  private clockAnchor = 0;
  private lastCaptureTime = 0;
  private sequence = 0;

  private decoded = 0;
  private skippedByMotion = 0;
  private passed = 0;
  private restarts = 0;
  private readerMs = 0;
  private consumerMs = 0;
  private lastError: VigieError | undefined;

  constructor(options: CameraIngestOptions) {
    this.source = options.source;
    this.settings = options.settings;
    this.input = options.input;
    this.onFrameListener = (frame) => options.onFrame(frame);
    this.metricsRegistry = options.metrics;
    this.measureReaderCpu = options.measureReaderCpu ?? false;
    this.frameBuffers = options.frameBuffers;
    this.log = cameraLogger(options.logger, options.source.cameraId).child({ component: 'ingest' });
    this.redactedUrl = redactText(options.source.url);
    this.gate = new MotionGate(options.settings.motion);
  }

  /** Starts ffmpeg and the watchdog. Calling it again, or after `stop()`, does nothing. */
  start(): void {
    if (this.started || this.stopRequested) return;
    this.started = true;
    this.counters = this.metricsRegistry ? ingestCounters(this.metricsRegistry) : undefined;
    this.ring = new FrameRing(frameByteLength(this.input), 3, this.frameBuffers);
    const period = Math.min(WATCHDOG_PERIOD_MS, (this.settings.watchdog.stallSeconds * 1000) / 4);
    this.watchdogTimer = setInterval(() => this.checkStall(), period);
    this.watchdogTimer.unref();
    this.spawn();
  }

  /**
   * Stops the watchdog and ffmpeg in stages (`q`, then SIGTERM, then SIGKILL); resolves when ffmpeg has exited.
   * Idempotent.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopRequested = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdogTimer);
    const ffmpeg = this.process;
    this.stopping = (async () => {
      await ffmpeg?.stop();
      this.pipe?.close();
      this.process = undefined;
      this.pid = undefined;
      this.state = 'stopped';
      if (this.started) this.log.info({ decoded: this.decoded, skippedByMotion: this.skippedByMotion, restarts: this.restarts }, 'camera ingest stopped');
    })();
    return this.stopping;
  }

  stats(): IngestStats {
    return {
      decoded: this.decoded,
      skippedByMotion: this.skippedByMotion,
      passed: this.passed,
      restarts: this.restarts,
      state: this.state,
      readerSeconds: Math.max(0, this.readerMs - this.consumerMs) / 1000,
      ...(this.lastError ? { lastError: this.lastError.message, lastErrorCode: this.lastError.code, lastErrorHint: this.lastError.hint } : {}),
      ...(this.picture ? { picture: { ...this.picture } } : {}),
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
    };
  }

  private spawn(): void {
    const run = ++this.runId;
    this.state = 'starting';
    this.ring?.reset();
    this.gate.reset();
    this.firstFrameAt = undefined;
    this.lastFrameAt = undefined;
    this.stallError = undefined;
    this.runStartedAt = performance.now();
    this.clockAnchor = Date.now() - this.runStartedAt;
    // A size announced by the camera serves until ffmpeg describes the stream (it normally does before any frame).
    this.geometry = this.source.width && this.source.height ? letterbox({ width: this.source.width, height: this.source.height }, this.input, this.input.pixelFormat) : undefined;
    void this.openPipe().then((pipe) => this.launch(run, pipe));
  }

  /** The frame pipe for the next run, or undefined to read ffmpeg's stdout (no `mkfifo` here). */
  private async openPipe(): Promise<FramePipe | undefined> {
    if (this.noFramePipe) return undefined;
    try {
      return await openFramePipe();
    } catch (error) {
      this.noFramePipe = true;
      this.log.warn({ err: error }, 'cannot make a FIFO for the frames (mkfifo): reading them from ffmpeg stdout instead, which costs an allocation and a copy per 64 KB');
      return undefined;
    }
  }

  private launch(run: number, pipe: FramePipe | undefined): void {
    if (run !== this.runId || this.stopRequested) {
      pipe?.close();
      return;
    }
    const sizeReader = new PictureSizeReader();
    const args = ingestFfmpegArgs(this.source.url, this.settings, this.input);
    this.log.info({ argv: redactArgv([this.settings.ffmpegPath, ...args]), run }, 'starting ffmpeg');
    const ffmpeg = new FfmpegProcess(args, this.log, this.settings.ffmpegPath, pipe?.writeFd);
    this.process = ffmpeg;
    this.pipe = pipe;
    const child = ffmpeg.start((exit) => {
      if (!pipe) {
        this.onExit(run, ffmpeg, exit);
        return;
      }
      // The frames ffmpeg wrote before it ended are read first (the pipe's end), briefly waited for.
      void pipe.drained(DRAIN_MS).then(() => {
        pipe.close();
        this.onExit(run, ffmpeg, exit);
      });
    });
    pipe?.spawned();
    this.pid = child.pid;
    child.stderr?.on('data', (text: string | Buffer) => {
      if (run !== this.runId) return;
      const size = sizeReader.push(typeof text === 'string' ? text : text.toString('utf8'));
      if (size) this.onPictureSize(size);
    });
    const ring = this.ring;
    if (!ring) return;
    const onFrame = (data: Buffer, take: TakeFrame) => this.onFrameBytes(data, take);
    if (pipe) pipe.read(() => ring.target(), (n) => this.read(run, () => ring.advance(n, onFrame)));
    else child.stdout?.on('data', (chunk: Buffer) => this.read(run, () => ring.push(chunk, onFrame)));
  }

  /** Runs one read's handling for run `run` (dropped once a newer run or a stop began), timed with `measureReaderCpu`. */
  private read(run: number, handle: () => void): void {
    if (run !== this.runId || this.stopRequested) return;
    if (!this.measureReaderCpu) return handle();
    const c0 = process.cpuUsage();
    handle();
    this.readerMs += cpuMsSince(c0);
  }

  private onPictureSize(size: { width: number; height: number }): void {
    if (this.source.width && this.source.height && (this.source.width !== size.width || this.source.height !== size.height)) {
      this.log.info({ announced: `${this.source.width}x${this.source.height}`, stream: `${size.width}x${size.height}` }, 'the stream picture size differs from the announced one: following the stream');
    } else if (this.picture && (this.picture.width !== size.width || this.picture.height !== size.height)) {
      this.log.info({ before: `${this.picture.width}x${this.picture.height}`, now: `${size.width}x${size.height}` }, 'the stream picture size changed: letterbox geometry follows');
    }
    this.picture = size;
    this.geometry = letterbox(size, this.input, this.input.pixelFormat);
  }

  private captureTime(): number {
    const now = Math.round(this.clockAnchor + performance.now());
    this.lastCaptureTime = Math.max(now, this.lastCaptureTime + 1);
    return this.lastCaptureTime;
  }

  private onFrameBytes(data: Buffer, take: TakeFrame): void {
    const captureTime = this.captureTime();
    const geometry = this.geometry;
    if (!geometry) {
      // Without the picture size the frame cannot be mapped back to the camera picture. The watchdog restarts a
      // run that never gives it (no lastFrameAt update), with this error.
      this.stallError ??= new StreamFailedError(this.source.cameraId, this.redactedUrl, 'bad-stream', { detail: 'ffmpeg did not report the picture size' });
      return;
    }
    const now = performance.now();
    this.lastFrameAt = now;
    if (this.firstFrameAt === undefined) {
      this.firstFrameAt = now;
      this.state = 'running';
      this.log.info({ picture: `${geometry.sourceWidth}x${geometry.sourceHeight}`, scaled: `${geometry.scaledWidth}x${geometry.scaledHeight}`, fps: this.settings.sampleFps }, 'camera stream running');
    }
    this.decoded += 1;
    this.counters?.decoded.inc({ camera: this.source.cameraId });
    const sequence = this.sequence++;
    const decision = this.gate.decide(data, geometry, captureTime);
    if (decision === 'skip') {
      this.skippedByMotion += 1;
      this.counters?.skippedByMotion.inc({ camera: this.source.cameraId });
      return;
    }
    this.passed += 1;
    const c0 = this.measureReaderCpu ? process.cpuUsage() : undefined;
    try {
      this.onFrameListener({ cameraId: this.source.cameraId, sequence, captureTime, geometry, data, take });
    } catch (error) {
      this.log.error({ err: error }, 'the frame consumer threw: frame lost, ingest goes on');
    }
    if (c0) this.consumerMs += cpuMsSince(c0);
  }

  private checkStall(): void {
    const ffmpeg = this.process;
    if (!ffmpeg || this.stopRequested) return;
    if (this.state !== 'starting' && this.state !== 'running') return;
    // The first frame gets twice as long: connecting, probing the stream and waiting for a key frame come first.
    const stallSeconds = this.settings.watchdog.stallSeconds;
    const since = this.lastFrameAt ?? this.runStartedAt;
    const limitMs = (this.lastFrameAt === undefined ? 2 : 1) * stallSeconds * 1000;
    if (performance.now() - since <= limitMs) return;
    this.stallError ??= new StreamFailedError(this.source.cameraId, this.redactedUrl, 'stalled', {
      detail: this.lastFrameAt === undefined ? `no frame within ${2 * stallSeconds} s of starting ffmpeg` : `no frame for ${stallSeconds} s`,
    });
    this.log.warn({ stallSeconds: this.settings.watchdog.stallSeconds }, 'camera stream stalled: restarting ffmpeg');
    // The exit that follows schedules the restart.
    this.state = 'backoff';
    void ffmpeg.stop();
  }

  private onExit(run: number, ffmpeg: FfmpegProcess, exit: FfmpegExit): void {
    if (run !== this.runId) return;
    this.process = undefined;
    this.pid = undefined;
    if (this.stopRequested) return;
    const tail = ffmpeg.stderrTail();
    const error = this.stallError ?? classifyFfmpegExit(this.source.cameraId, this.redactedUrl, exit, tail);
    this.stallError = undefined;
    this.lastError = error;
    // A run that delivered frames for a while was healthy: the next wait starts from the initial delay again.
    const { backoffInitialSeconds: initial, backoffMaxSeconds: max } = this.settings.watchdog;
    const healthyFor = this.firstFrameAt === undefined ? 0 : performance.now() - this.firstFrameAt;
    if (healthyFor >= max * 1000) this.failures = 0;
    this.failures += 1;
    // Refused credentials: wait the longest, so a camera that locks accounts after a few failures does not.
    const delay = error instanceof StreamAuthError ? restartDelayMs(Number.MAX_SAFE_INTEGER, max, max) : restartDelayMs(this.failures, initial, max);
    this.state = 'backoff';
    const level = error instanceof ToolMissingError || error instanceof StreamAuthError ? 'error' : 'warn';
    this.log[level](
      { err: error, code: error.code, hint: error.hint, exit: { code: exit.code, signal: exit.signal }, stderr: tail.slice(-8), retryInSeconds: delay / 1000, failures: this.failures },
      `camera stream failed: ${error.message}`,
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopRequested) return;
      this.restarts += 1;
      this.counters?.restarts.inc({ camera: this.source.cameraId });
      this.spawn();
    }, delay);
  }
}
