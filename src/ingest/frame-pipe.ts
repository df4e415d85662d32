import { execFile } from 'node:child_process';
import { close, constants, open } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The pipe ffmpeg writes raw frames into, read without allocating: ffmpeg's stdout is the write end of a FIFO,
 * and Vigie reads the other end with `net.Socket`'s `onread`, straight into the frame buffer being filled.
 *
 * Why not the `stdio: 'pipe'` stdout: Node allocates a fresh 64 KB buffer for every read of it, 0.5 MB per 416x416
 * frame; at 100 frames/s that is 50 MB/s of short-lived external memory, which kept V8 marking the main heap five
 * times a second (measured: 0.1 of a core of GC threads on the 2-vCPU VM, taken from inference), and each chunk was
 * then copied into the frame. Node has no anonymous pipe with a reader of one's own buffer; a FIFO opened at both
 * ends and unlinked at once is one.
 */
export interface FramePipe {
  /** Give this to ffmpeg as its stdout (`stdio[1]`), then call `spawned()`. */
  readonly writeFd: number;
  /**
   * Starts reading: before each read `target()` gives the bytes to fill (never empty), `onBytes(n)` says how many
   * were. Ends (no more calls) when every writer has closed its end (ffmpeg exited) or on `close()`.
   */
  read(target: () => Buffer, onBytes: (n: number) => void): void;
  /** Closes Vigie's copy of the write end once ffmpeg holds its own, so that its exit ends the stream. */
  spawned(): void;
  /** Resolves once everything written has been read (every writer gone), or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
  /** Stops reading and closes both ends. Idempotent. */
  close(): void;
}

const openFd = (path: string, flags: number) =>
  new Promise<number>((resolve, reject) =>
    open(path, flags, (error, fd) => {
      if (error) reject(error);
      else resolve(fd);
    }),
  );
const closeFd = (fd: number) => close(fd, () => undefined); // closing a descriptor we own cannot fail in a way we act on
const mkfifo = (path: string) =>
  new Promise<void>((resolve, reject) =>
    execFile('mkfifo', ['-m', '600', path], (error) => {
      if (error) reject(new Error(`mkfifo ${path} failed: ${error.message}`, { cause: error }));
      else resolve();
    }),
  );

/** Opens a frame pipe; rejects when the system has no `mkfifo` (the caller then falls back to a plain stdout pipe). */
export async function openFramePipe(): Promise<FramePipe> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-frames-'));
  try {
    const path = join(dir, 'frames');
    await mkfifo(path);
    // Read end first, non-blocking (a FIFO's O_RDONLY open would wait for a writer); then the write end, which a
    // present reader lets open at once. Both stay valid after the name is removed.
    const readFd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let writeFd: number;
    try {
      writeFd = await openFd(path, constants.O_WRONLY);
    } catch (error) {
      closeFd(readFd);
      throw error;
    }
    return framePipe(readFd, writeFd);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function framePipe(readFd: number, writeFd: number): FramePipe {
  let socket: Socket | undefined;
  let writeOpen = true;
  let closed = false;
  let ended = false;
  const endWaiters = new Set<() => void>();
  const onEnd = () => {
    ended = true;
    for (const wake of endWaiters) wake();
    endWaiters.clear();
  };
  const closeWrite = () => {
    if (!writeOpen) return;
    writeOpen = false;
    closeFd(writeFd);
  };
  return {
    writeFd,
    read(target, onBytes) {
      if (socket || closed) return;
      // `onread` is honoured by the constructor as by connect() (Node >= 12), though @types/node lists it only there.
      const options: SocketConstructorOpts & { onread: OnReadOpts } = {
        fd: readFd,
        readable: true,
        writable: false,
        onread: {
          buffer: target,
          callback: (n: number) => {
            if (!closed) onBytes(n);
            return true; // keep reading (false would pause the socket)
          },
        },
      };
      socket = new Socket(options);
      // A reset or an error on a local pipe ends this run's frames; ffmpeg's exit reports the cause.
      socket.on('error', () => socket?.destroy());
      socket.once('end', onEnd);
      socket.once('close', onEnd);
    },
    spawned: closeWrite,
    drained(timeoutMs) {
      if (ended || closed || !socket) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          endWaiters.delete(done);
          resolve();
        }
        endWaiters.add(done);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      closeWrite();
      if (socket) socket.destroy();
      else closeFd(readFd);
      onEnd();
    },
  };
}
