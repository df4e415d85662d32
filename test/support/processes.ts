import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`), collecting its output. */
export function run(command: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input);
  });
}

/** Frames ffmpeg decodes from an RTSP URL: one framemd5 line per decoded picture. */
export async function decodeFrames(
  url: string,
  frames: number,
  options: { transport?: 'tcp' | 'udp' | 'http'; timeoutMs?: number } = {},
): Promise<{ frames: number; dimensions: string | undefined; stderr: string; code: number | null }> {
  const result = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', options.transport ?? 'tcp', '-i', url, '-map', '0:v:0', '-frames:v', String(frames), '-f', 'framemd5', '-'],
    { timeoutMs: options.timeoutMs ?? 60_000 },
  );
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const dimensions = /^#dimensions 0: (\d+x\d+)/m.exec(result.stdout)?.[1];
  return { frames: lines.length, dimensions, stderr: result.stderr, code: result.code };
}
