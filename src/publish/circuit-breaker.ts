export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** First open period; doubles on each failed probe. */
  openSeconds: number;
  /** Longest open period. */
  maxOpenSeconds: number;
}

/** What the breaker allows now: a normal delivery, the single probe of a half-open circuit, or nothing. */
export type Permit = 'go' | 'probe' | 'wait';

/**
 * One per output. Closed: deliveries flow. After `failureThreshold` consecutive failures it opens: nothing is
 * sent until the open period ends; then one delivery probes the VMS (half-open). Success closes it; failure
 * reopens it for twice as long (up to maxOpenSeconds). `hold` opens it for a fixed period, for a VMS that refuses
 * our configuration or credentials.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openings = 0;
  private until = 0;
  private probing = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Epoch ms when an open circuit lets a probe through; undefined unless open. */
  get reopensAt(): number | undefined {
    return this.current === 'open' ? this.until : undefined;
  }

  /** Earliest time a permit may be granted: now when closed, the reopening time when open, never while a probe runs. */
  nextPermitAt(now: number): number {
    if (this.current === 'closed') return now;
    if (this.current === 'open') return this.until;
    return this.probing ? Number.POSITIVE_INFINITY : now;
  }

  permit(now: number): Permit {
    if (this.current === 'closed') return 'go';
    if (this.current === 'open') {
      if (now < this.until) return 'wait';
      this.current = 'half-open';
      this.probing = false;
    }
    if (this.probing) return 'wait';
    this.probing = true;
    return 'probe';
  }

  /** A probe that could not be sent after all (nothing was due): let the next candidate probe instead. */
  releaseProbe(): void {
    this.probing = false;
  }

  onSuccess(): void {
    this.current = 'closed';
    this.failures = 0;
    this.openings = 0;
    this.probing = false;
  }

  onFailure(now: number): void {
    this.failures++;
    this.probing = false;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      const seconds = Math.min(this.options.maxOpenSeconds, this.options.openSeconds * 2 ** this.openings);
      this.openings++;
      this.open(now, seconds);
    }
  }

  hold(now: number, seconds: number): void {
    this.failures++;
    this.probing = false;
    this.open(now, seconds);
  }

  private open(now: number, seconds: number): void {
    this.current = 'open';
    this.until = now + seconds * 1000;
  }
}
