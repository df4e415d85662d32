import { EventEmitter } from 'node:events';
import { VideoSourceError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { AccessUnitAssembler } from './access-unit-assembler.js';
import { FfmpegProcess } from './ffmpeg-process.js';
import type { H264Source, H264SourceEvents } from './h264-source.js';
import { TsDemuxer } from './mpegts-demuxer.js';

export interface FfmpegH264SourceOptions {
  /** A file path or any URL ffmpeg reads. */
  input: string;
  logger: Logger;
  /** Loop the input forever (`-stream_loop -1`). @defaultValue true */
  loop?: boolean;
  /** Read at the input's own frame rate (`-re`), as a camera would deliver it. @defaultValue true */
  realtime?: boolean;
  /** Extra ffmpeg options placed before `-i`. */
  inputArgs?: readonly string[];
  /** Delays between restarts after failures, in ms; the last one repeats. @defaultValue [1000, 2000, 5000, 10000, 30000] */
  restartDelaysMs?: readonly number[];
  ffmpegPath?: string;
}

/**
 * H.264 from ffmpeg without re-encoding: `ffmpeg -re -stream_loop -1 -i FILE -c copy -f mpegts pipe:1`. MPEG-TS
 * rather than a raw Annex-B stream because it keeps each frame's 90 kHz presentation time, which become the RTP
 * timestamps. A crashed ffmpeg is restarted with backoff; its last stderr lines go to the log.
 */
export class FfmpegH264Source extends EventEmitter<H264SourceEvents> implements H264Source {
  private process: FfmpegProcess | undefined;
  private wanted = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly assembler = new AccessUnitAssembler();
  private producedSinceStart = 0;

  constructor(private readonly options: FfmpegH264SourceOptions) {
    super();
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.failures = 0;
    this.spawn();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    await this.process?.stop();
  }

  private args(): string[] {
    const o = this.options;
    return [
      '-hide_banner',
      '-loglevel',
      'error',
      ...(o.realtime ?? true ? ['-re'] : []),
      ...(o.loop ?? true ? ['-stream_loop', '-1'] : []),
      ...(o.inputArgs ?? []),
      '-i',
      o.input,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-f',
      'mpegts',
      // Video PES with their length (when under 64 KiB): the demuxer hands a frame out as soon as it is whole.
      '-omit_video_pes_length',
      '0',
      '-muxdelay',
      '0',
      '-muxpreload',
      '0',
      '-flush_packets',
      '1',
      'pipe:1',
    ];
  }

  private spawn(): void {
    const log = this.options.logger;
    const proc = new FfmpegProcess(this.args(), log, this.options.ffmpegPath);
    this.process = proc;
    this.assembler.reset();
    this.producedSinceStart = 0;
    const demuxer = new TsDemuxer((pes) => this.onPes(pes.pts ?? pes.dts, pes.data, pes.receivedAt));
    const child = proc.start(({ code, signal, error }) => {
      demuxer.flush();
      if (this.process !== proc) return;
      if (!this.wanted) {
        log.debug({ code, signal }, 'ffmpeg source stopped');
        return;
      }
      const tail = proc.stderrTail();
      const failure =
        error ??
        new VideoSourceError(this.options.input, `ffmpeg exited (${code ?? signal})${tail.length ? `: ${tail.slice(-3).join(' | ')}` : ''}`);
      if (this.producedSinceStart > 0) this.failures = 0;
      const delays = this.options.restartDelaysMs ?? [1000, 2000, 5000, 10000, 30000];
      const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 1000;
      this.failures += 1;
      log.error({ err: failure, stderr: tail, restartInMs: delay }, 'video source failed');
      this.emit('failed', failure);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.wanted) this.spawn();
      }, delay);
    });
    child.stdout?.on('data', (chunk: Buffer) => demuxer.push(chunk));
    this.emit('started');
  }

  private onPes(pts33: number | undefined, data: Buffer, receivedAt: number): void {
    const unit = this.assembler.fromPes(pts33, data, receivedAt);
    if (!unit) return;
    this.producedSinceStart += 1;
    this.emit('accessUnit', unit);
  }
}
