import { spawn, type ChildProcess } from 'node:child_process';
import { ToolMissingError, VideoSourceError } from '../errors/index.js';
import { redactArgv, redactText, type Logger } from '../logging/index.js';

const STDERR_LINES = 50;

/**
 * One ffmpeg child process: spawn, keep the last stderr lines (redacted) for error reports, and stop in stages
 * (`q` on stdin, then SIGTERM, then SIGKILL) so ffmpeg can finish cleanly and never outlives Vigie.
 */
export class FfmpegProcess {
  private child: ChildProcess | undefined;
  private readonly stderrLines: string[] = [];
  private stderrPartial = '';
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly args: readonly string[],
    private readonly logger: Logger,
    private readonly command = 'ffmpeg',
    /** A descriptor to give ffmpeg as its stdout instead of a pipe (then `child.stdout` is null). */
    private readonly stdoutFd?: number,
  ) {}

  /** Starts ffmpeg; `onExit` is called once when it ends (code, signal, or a spawn error). */
  start(onExit: (info: { code: number | null; signal: NodeJS.Signals | null; error?: Error }) => void): ChildProcess {
    this.logger.debug({ argv: redactArgv([this.command, ...this.args]) }, 'starting ffmpeg');
    // Its own process group: a Ctrl-C at the terminal reaches Vigie only, which then stops ffmpeg in stages
    // (instead of every ffmpeg dying at once while its source still counts on it). If Vigie dies, ffmpeg ends at
    // its next write to the closed pipe.
    const child = spawn(this.command, this.args, { stdio: ['pipe', this.stdoutFd ?? 'pipe', 'pipe'], detached: true });
    this.child = child;
    let reported = false;
    this.exited = new Promise((resolve) => {
      const report = (info: { code: number | null; signal: NodeJS.Signals | null; error?: Error }) => {
        if (reported) return;
        reported = true;
        resolve();
        onExit(info);
      };
      child.once('error', (error) => report({ code: null, signal: null, error: (error as NodeJS.ErrnoException).code === 'ENOENT' ? new ToolMissingError(this.command, error) : error }));
      child.once('close', (code, signal) => report({ code, signal }));
    });
    child.stdin?.on('error', (error) => this.logger.debug({ err: error }, 'ffmpeg stdin closed'));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.collect(text));
    return child;
  }

  /** The last lines ffmpeg wrote to stderr, credentials removed. */
  stderrTail(): string[] {
    return this.stderrPartial ? [...this.stderrLines, redactText(this.stderrPartial)] : [...this.stderrLines];
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops ffmpeg: `q`, then SIGTERM after `graceMs`, then SIGKILL after another `graceMs`. Resolves once it exited. */
  async stop(graceMs = 1500): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    // Keep draining stdout: an ffmpeg blocked on a full pipe never reads its `q` (with `stdoutFd`, its reader must).
    child.stdout?.resume();
    if (child.stdin?.writable) child.stdin.end('q\n');
    if (await settles(this.exited, graceMs)) return;
    this.logger.debug({ pid: child.pid }, 'ffmpeg ignored q, sending SIGTERM');
    child.kill('SIGTERM');
    if (await settles(this.exited, graceMs)) return;
    this.logger.warn({ pid: child.pid }, 'ffmpeg ignored SIGTERM, sending SIGKILL');
    child.kill('SIGKILL');
    await this.exited;
  }

  private collect(text: string): void {
    const lines = (this.stderrPartial + text).split(/\r?\n|\r/);
    this.stderrPartial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      this.stderrLines.push(redactText(line));
      if (this.stderrLines.length > STDERR_LINES) this.stderrLines.shift();
    }
  }
}

function settles(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface RunFfmpegOptions {
  /** Bytes written to ffmpeg's stdin. */
  input?: Buffer;
  /** Killed (SIGKILL) after this long. @defaultValue 20 000 */
  timeoutMs?: number;
  /** What the run is for, in error messages. */
  label: string;
  command?: string;
  /** Largest stdout kept. @defaultValue 64 MiB */
  maxOutputBytes?: number;
}

/** Runs ffmpeg (or ffprobe) to completion and returns its stdout; a non-zero exit is a `VideoSourceError` with ffmpeg's last words. */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<Buffer> {
  const command = options.command ?? 'ffmpeg';
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(Buffer.concat(out, size));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new VideoSourceError(options.label, `${command} did not finish within ${options.timeoutMs ?? 20_000} ms`));
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > (options.maxOutputBytes ?? 64 * 1024 * 1024)) {
        child.kill('SIGKILL');
        finish(new VideoSourceError(options.label, `${command} produced more output than expected`));
        return;
      }
      out.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr = (stderr + t).slice(-4000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? new ToolMissingError(command, error) : error));
    child.once('close', (code, signal) => {
      if (code === 0) finish(undefined);
      else {
        const last = redactText(stderr.trim().split('\n').slice(-3).join(' | '));
        finish(new VideoSourceError(options.label, `${command} exited with ${code ?? signal}${last ? `: ${last}` : ''}`));
      }
    });
    child.stdin.on('error', (error) => {
      // ffmpeg may exit (and close its stdin) before reading all input; its exit status tells what happened.
      stderr += `\n(stdin: ${error.message})`;
    });
    child.stdin.end(options.input);
  });
}
