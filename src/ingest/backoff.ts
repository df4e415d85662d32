/**
 * The wait before restart number `attempt` (1 = the first after a failure): `initial` doubling up to `max`,
 * then spread by ±25 % jitter (never above `max`) so cameras that failed together (a switch reboot) do not
 * reconnect in lockstep. Seconds in, milliseconds out.
 */
export function restartDelayMs(attempt: number, initialSeconds: number, maxSeconds: number, random: () => number = Math.random): number {
  const base = Math.min(maxSeconds, initialSeconds * 2 ** Math.max(0, attempt - 1));
  const jittered = base * (0.75 + 0.5 * random());
  return Math.round(Math.min(maxSeconds, jittered) * 1000);
}
