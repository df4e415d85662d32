import type { DeliveryConfig } from '../config/index.js';

/**
 * Seconds to wait after the `failures`-th failed attempt: initialSeconds × multiplier^(failures-1), capped at
 * maxSeconds, shortened by up to `jitter` (a fraction) so that many events do not retry in lockstep.
 */
export function backoffSeconds(failures: number, retry: DeliveryConfig['retry'], random: () => number = Math.random): number {
  const base = Math.min(retry.maxSeconds, retry.initialSeconds * retry.multiplier ** Math.max(0, failures - 1));
  return base * (1 - retry.jitter * random());
}
