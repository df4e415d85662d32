import type { AnalyticsEvent } from './analytics-event.js';

/** Per-attempt information the host passes to `deliver`. */
export interface DeliveryInfo {
  /** 1 for the first attempt of this event on this sink. */
  attempt: number;
  /** The event id: send it where the VMS supports an idempotency key, so a retried event is not shown twice. */
  idempotencyKey: string;
  /** Aborted when the host's delivery timeout expires or Vigie stops: pass it to every I/O call. */
  signal: AbortSignal;
  /** The event as JSON (as stored), for plugins that send it whole: saves serialising it again. */
  eventJson?: string;
}

/** What the VMS answered, for the logs and the audit log. */
export interface DeliveryReceipt {
  /** e.g. `HTTP 200`, `PUBACK`, `Genetec Rsp Ok`. */
  detail?: string;
  /** Set when the VMS was deliberately not called (e.g. an `update` this VMS has no use for), with the reason. */
  skipped?: string;
}

/** The plugin's own view of its connection, merged into the sink's health by the host. */
export interface PluginHealth {
  /** For connection-oriented sinks (MQTT, TCP): whether the connection is up now. */
  connected?: boolean;
  detail?: string;
}

/**
 * A destination for events: one instance per configured output. The host calls `start` once, then `deliver` for
 * each event in order per camera (never two events of one camera at once), and `stop` at shutdown. Constructors
 * and `createSink` must not connect or start timers: do that in `start`.
 *
 * `deliver` resolves when the VMS has accepted the event, and throws a `SinkError` subclass otherwise (see
 * `SinkErrorDisposition` for what each one makes the host do). Any other exception counts as a retryable
 * failure and is logged as a plugin bug.
 */
export interface VmsSink {
  /** Opens connections (MQTT, TCP). Throwing a SinkError marks the sink down; the host retries later. */
  start?(): Promise<void>;
  deliver(event: AnalyticsEvent, delivery: DeliveryInfo): Promise<DeliveryReceipt | void>;
  /**
   * Checks reachability and credentials without raising an event in the VMS (a login, a TCP connect), for
   * `vigie outputs check`. Resolves with a one-line description of what was verified; throws a SinkError.
   */
  check?(signal: AbortSignal): Promise<string>;
  health?(): PluginHealth;
  /** Closes connections; resolves when done. Called once. */
  stop?(): Promise<void>;
}
