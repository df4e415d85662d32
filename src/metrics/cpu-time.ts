import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc stat times (USER_HZ, 100 on every Linux Vigie runs on). */
const USER_HZ = 100;

/** CPU seconds (user + system) in a /proc `stat` file; undefined when it is gone (process or thread ended) or unreadable. */
async function statCpuSeconds(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // ended, or not Linux: the caller reports the measure as missing
  }
  // Fields after the command name (which may hold spaces, within parentheses): utime and stime are 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}

/** CPU seconds a process has used so far (/proc/<pid>/stat). */
export function processCpuSeconds(pid: number): Promise<number | undefined> {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds thread `tid` of this process has used so far (/proc/self/task/<tid>/stat). */
export function threadCpuSeconds(tid: number): Promise<number | undefined> {
  return statCpuSeconds(`/proc/self/task/${tid}/stat`);
}

/**
 * The kernel thread id of the calling thread (Linux: /proc/thread-self), read synchronously so that it is this
 * thread's and not a libuv pool thread's; undefined where /proc is not there.
 */
export function callerThreadId(): number | undefined {
  try {
    const tid = Number.parseInt(readFileSync('/proc/thread-self/stat', 'utf8'), 10);
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined; // not Linux: thread CPU is then not measured, and says so by being undefined
  }
}
