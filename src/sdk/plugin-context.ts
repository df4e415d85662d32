import type { HttpClient } from './http-client.js';

/** Structured logging for plugins: a field object, then a message without trailing period. Credentials are scrubbed. */
export interface PluginLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the host gives a plugin when it creates a sink. Everything a plugin needs from Vigie comes through here. */
export interface PluginContext {
  /** The output's name in the configuration: used in logs, health and the dead-letter list. */
  readonly outputName: string;
  /** Where the output sits in the configuration file, e.g. `outputs[2]`, for error messages and hints. */
  readonly configPath: string;
  /** Bound to this output: every line carries `plugin` and `output`. */
  readonly logger: PluginLogger;
  /** Shared HTTP client (keep-alive, timeouts, Basic/Digest/Bearer, TLS options). */
  readonly http: HttpClient;
  /**
   * The JPEG bytes of an event's evidence snapshot (`event.evidence.snapshotId`), or undefined when the evidence
   * store has none (expired by retention, or evidence is disabled). Never throws for a missing snapshot.
   */
  loadSnapshot(snapshotId: string): Promise<Uint8Array | undefined>;
  /** Vigie's version and this instance's name, for user agents and "source" fields. */
  readonly vigie: { readonly version: string; readonly instance: string };
}

/** Where the evidence snapshots live: implemented by the events stage's evidence store, wired by the application. */
export interface SnapshotSource {
  loadSnapshot(snapshotId: string): Promise<Uint8Array | undefined>;
}
