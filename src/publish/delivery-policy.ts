import type { DeliveryConfig, OutputConfig } from '../config/index.js';

/** How one output's deliveries are retried, timed out and paused: the delivery section with the output's overrides. */
export interface DeliveryPolicy {
  maxAttempts: number;
  timeoutSeconds: number;
  concurrency: number;
  retry: DeliveryConfig['retry'];
  circuitBreaker: DeliveryConfig['circuitBreaker'];
  holdSeconds: number;
  pollSeconds: number;
}

export function deliveryPolicy(delivery: DeliveryConfig, output: Pick<OutputConfig, 'maxAttempts' | 'timeoutSeconds' | 'concurrency'>): DeliveryPolicy {
  return {
    maxAttempts: output.maxAttempts ?? delivery.maxAttempts,
    timeoutSeconds: output.timeoutSeconds ?? delivery.timeoutSeconds,
    concurrency: output.concurrency ?? delivery.concurrency,
    retry: delivery.retry,
    circuitBreaker: delivery.circuitBreaker,
    holdSeconds: delivery.holdSeconds,
    pollSeconds: delivery.pollSeconds,
  };
}
