import type { PluginHealth } from '../sdk/index.js';
import type { CircuitState } from './circuit-breaker.js';

/**
 * ok: delivering. degraded: recent failures, still trying every event. down: the VMS is unreachable or failing,
 * the circuit is open and only probes go out. misconfigured / unauthorized: the VMS refuses our configuration or
 * credentials; events wait until it is fixed. starting: nothing attempted yet. disabled: `enabled: false`.
 */
export type SinkState = 'starting' | 'ok' | 'degraded' | 'down' | 'misconfigured' | 'unauthorized' | 'disabled';

export interface SinkProblem {
  code: string;
  message: string;
  hint: string | undefined;
  /** ISO 8601 time it last happened. */
  at: string;
}

/** One output's health, as `/health` and `vigie outputs status` show it. */
export interface SinkHealth {
  name: string;
  type: string;
  state: SinkState;
  circuit: CircuitState;
  /** ISO time an open circuit lets the next probe through. */
  reopensAt: string | undefined;
  consecutiveFailures: number;
  /** Since this process started. */
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  lastDeliveredAt: string | undefined;
  lastError: SinkProblem | undefined;
  plugin: PluginHealth | undefined;
  /** From the outbox: events waiting, and dead letters (all processes, all time). */
  pending: number;
  deadLetters: number;
  oldestPendingAt: string | undefined;
}

/** Mutable counters and state behind a SinkHealth snapshot. */
export class SinkHealthTracker {
  state: SinkState;
  delivered = 0;
  failedAttempts = 0;
  deadLettered = 0;
  lastDeliveredAt: number | undefined;
  lastError: SinkProblem | undefined;

  constructor(enabled: boolean) {
    this.state = enabled ? 'starting' : 'disabled';
  }
}
