import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc stat times (USER_HZ, 100 on every Linux Vigie runs on). */
const USER_HZ = 100;

/** Fields after the command name of a /proc stat line (the name may hold spaces, within parentheses). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
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

/** CPU seconds (user + system) thread `tid` of this process has used; undefined when it is gone or unreadable. */
export async function threadCpuSeconds(tid: number): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/self/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined; // the thread ended (a worker restarted): the caller counts the threads it can read
  }
  const fields = statFields(text);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}
