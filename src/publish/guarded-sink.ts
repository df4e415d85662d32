import type { Logger } from '../logging/index.js';
import {
  isSinkError,
  SinkTimeoutError,
  SinkUnavailableError,
  type AnalyticsEvent,
  type DeliveryReceipt,
  type PluginHealth,
  type SinkError,
  type VmsSink,
} from '../sdk/index.js';
import { CircuitBreaker, type Permit } from './circuit-breaker.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { SinkHealthTracker, type SinkState } from './sink-health.js';

export type Outcome =
  | { kind: 'delivered'; receipt: DeliveryReceipt; durationMs: number }
  | { kind: 'retry' | 'hold' | 'reject'; error: SinkError; durationMs: number };

export interface StateChange {
  from: SinkState;
  to: SinkState;
  error: SinkError | undefined;
}

export interface GuardedSinkOptions {
  name: string;
  type: string;
  enabled: boolean;
  policy: DeliveryPolicy;
  logger: Logger;
  /** Called when the sink's state changes (for the audit log). */
  onStateChange?: (change: StateChange) => void;
  now?: () => number;
}

/**
 * Isolates one plugin's sink: every call is bounded by the delivery timeout (the plugin's signal is aborted and
 * its late result ignored), any exception becomes a SinkError, a circuit breaker pauses a failing VMS, and the
 * outcome of every call feeds the sink's health. Never throws.
 */
export class GuardedSink {
  readonly breaker: CircuitBreaker;
  readonly health: SinkHealthTracker;
  private started = false;
  private startPromise: Promise<boolean> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly sink: VmsSink,
    private readonly options: GuardedSinkOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.health = new SinkHealthTracker(options.enabled);
    this.breaker = new CircuitBreaker({
      failureThreshold: options.policy.circuitBreaker.failureThreshold,
      openSeconds: options.policy.circuitBreaker.openSeconds,
      maxOpenSeconds: Math.max(options.policy.circuitBreaker.openSeconds, options.policy.retry.maxSeconds),
    });
  }

  permit(): Permit {
    return this.breaker.permit(this.now());
  }

  pluginHealth(): PluginHealth | undefined {
    try {
      return this.sink.health?.();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'plugin health() threw');
      return { detail: `health() failed: ${(error as Error).message}` };
    }
  }

  /** Runs the plugin's start once (again after a failure). Resolves false when it failed (the breaker records it). */
  async ensureStarted(): Promise<boolean> {
    if (this.started) return true;
    this.startPromise ??= this.runStart().finally(() => (this.startPromise = undefined));
    return this.startPromise;
  }

  /** Delivers one event under the timeout and reports what happened. */
  async attempt(event: AnalyticsEvent, attempt: number, eventJson?: string): Promise<Outcome> {
    const began = this.now();
    if (!this.started && !(await this.ensureStarted())) {
      const error = this.lastStartError ?? new SinkUnavailableError(`output ${this.options.name} could not start`);
      return { kind: error.disposition, error, durationMs: this.now() - began };
    }
    try {
      const receipt = await this.bounded('delivery', (signal) => this.sink.deliver(event, { attempt, idempotencyKey: event.id, signal, ...(eventJson === undefined ? {} : { eventJson }) }));
      this.recordSuccess();
      return { kind: 'delivered', receipt: receipt ?? {}, durationMs: this.now() - began };
    } catch (thrown) {
      const error = this.normalise(thrown, 'deliver');
      this.recordFailure(error);
      return { kind: error.disposition, error, durationMs: this.now() - began };
    }
  }

  /** The plugin's active check (`vigie outputs check`), under the timeout. */
  async check(): Promise<{ ok: true; detail: string } | { ok: false; error: SinkError }> {
    if (!this.sink.check) return { ok: true, detail: 'this plugin has no active check; send a test event to verify it' };
    try {
      if (!(await this.ensureStarted())) return { ok: false, error: this.lastStartError! };
      const detail = await this.bounded('check', (signal) => this.sink.check!(signal));
      return { ok: true, detail };
    } catch (thrown) {
      return { ok: false, error: this.normalise(thrown, 'check') };
    }
  }

  async stop(): Promise<void> {
    if (!this.started || !this.sink.stop) return;
    this.started = false;
    try {
      await this.bounded('stop', () => this.sink.stop!());
    } catch (error) {
      this.options.logger.warn({ err: error }, 'output plugin did not stop cleanly');
    }
  }

  private lastStartError: SinkError | undefined;

  private async runStart(): Promise<boolean> {
    if (!this.sink.start) {
      this.started = true;
      return true;
    }
    try {
      await this.bounded('start', () => this.sink.start!());
      this.started = true;
      this.lastStartError = undefined;
      return true;
    } catch (thrown) {
      const error = this.normalise(thrown, 'start');
      this.lastStartError = error;
      this.recordFailure(error);
      return false;
    }
  }

  /** Calls in progress with their deadline (performance.now ms): one timer per sink watches them, not one per call. */
  private readonly watched = new Set<{ at: number; expire: () => void }>();
  private sweeper: NodeJS.Timeout | undefined;

  /**
   * Runs `work` with an AbortSignal that fires at the delivery timeout (at most a twentieth of it late); rejects then
   * even if `work` ignores it.
   */
  private bounded<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const seconds = this.options.policy.timeoutSeconds;
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const watch = {
        at: performance.now() + seconds * 1000,
        expire: () => {
          const error = new SinkTimeoutError(`output ${this.options.name}: ${what} took longer than ${seconds} s`, {
            hint: 'the VMS is slow or unreachable; raise timeoutSeconds for this output if it is merely slow',
          });
          settled = true;
          controller.abort(error);
          reject(error);
        },
      };
      this.watch(watch);
      let running: Promise<T>;
      try {
        running = work(controller.signal);
      } catch (error) {
        running = Promise.reject(asError(error));
      }
      running.then(
        (value) => {
          this.unwatch(watch);
          if (!settled) resolve(value);
        },
        (error: unknown) => {
          this.unwatch(watch);
          // after a timeout the plugin's late error is only logged
          if (settled) this.options.logger.debug({ err: error, what }, 'late plugin result ignored');
          else reject(asError(error));
        },
      );
    });
  }

  private watch(call: { at: number; expire: () => void }): void {
    this.watched.add(call);
    if (this.sweeper) return;
    const tickMs = Math.min(1000, Math.max(5, (this.options.policy.timeoutSeconds * 1000) / 20));
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const w of this.watched) {
        if (w.at > now) continue;
        this.unwatch(w);
        w.expire();
      }
    }, tickMs);
  }

  private unwatch(call: { at: number; expire: () => void }): void {
    if (!this.watched.delete(call) || this.watched.size > 0) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private normalise(thrown: unknown, what: string): SinkError {
    if (isSinkError(thrown)) return thrown;
    this.options.logger.error({ err: thrown, what }, 'output plugin threw an unexpected error (a bug in the plugin): treated as a failed attempt');
    return new SinkUnavailableError(`output plugin failed in ${what}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, {
      cause: thrown,
      hint: 'this is a bug in the plugin; the event will be retried',
    });
  }

  private recordSuccess(): void {
    this.breaker.onSuccess();
    this.health.delivered++;
    this.health.lastDeliveredAt = this.now();
    this.transition('ok', undefined);
  }

  private recordFailure(error: SinkError): void {
    const now = this.now();
    this.health.failedAttempts++;
    this.health.lastError = { code: error.code, message: error.message, hint: error.hint, at: new Date(now).toISOString() };
    if (error.disposition === 'hold') {
      this.breaker.hold(now, this.options.policy.holdSeconds);
      this.transition(error.code === 'SINK_AUTH_FAILED' ? 'unauthorized' : 'misconfigured', error);
    } else if (error.disposition === 'retry') {
      this.breaker.onFailure(now);
      this.transition(this.breaker.state === 'open' ? 'down' : 'degraded', error);
    } else {
      // A rejected event says nothing about the VMS's health.
      this.breaker.onSuccess();
    }
  }

  private transition(to: SinkState, error: SinkError | undefined): void {
    const from = this.health.state;
    if (from === to) return;
    this.health.state = to;
    const fields = { from, to, ...(error ? { code: error.code, error: error.message, fix: error.hint } : {}) };
    if (to === 'misconfigured' || to === 'unauthorized') {
      this.options.logger.error(fields, `output ${this.options.name}: ${to === 'unauthorized' ? 'the VMS refuses our credentials' : 'configuration error'}: ${error?.message ?? ''}${error?.hint ? ` (fix: ${error.hint})` : ''}; events are kept and retried every ${this.options.policy.holdSeconds} s`);
    } else if (to === 'down') {
      this.options.logger.warn(fields, `output ${this.options.name} is down: ${error?.message ?? ''}; events are kept and the VMS is probed`);
    } else if (to === 'degraded') {
      this.options.logger.warn(fields, `output ${this.options.name}: delivery failed, retrying: ${error?.message ?? ''}`);
    } else if (to === 'ok' && from !== 'starting') {
      this.options.logger.info(fields, `output ${this.options.name} delivers again`);
    }
    this.options.onStateChange?.({ from, to, error });
  }
}

/** Plugins may throw anything; the host handles Errors. */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
