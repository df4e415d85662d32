/** Version of this contract. A plugin declares the version it was written for; the host refuses another major. */
export const SDK_VERSION = '1.0.0';

/** What a sink can carry into its VMS, shown by `vigie outputs types` and checked by the conformance suite. */
export const SINK_CAPABILITIES = [
  /** object boxes reach the operator (overlay or payload) */
  'bounding-boxes',
  /** the evidence snapshot can be attached */
  'snapshots',
  /** the event id is sent as an idempotency key the VMS (or receiver) can deduplicate on */
  'idempotency-key',
  /** start / update / end map onto the VMS's own notion of a lasting event */
  'incident-state',
  /** `check()` verifies reachability and credentials without raising an event */
  'active-check',
] as const;

export type SinkCapability = (typeof SINK_CAPABILITIES)[number];

export interface PluginManifest {
  /** Folder name under plugins/, lower case: `milestone`, `nx`. */
  id: string;
  /** The `type` an output names in the configuration. Third-party types start with `x-`. */
  outputType: string;
  /** For people: `Milestone XProtect (Analytics Events)`. */
  title: string;
  /** The plugin's own version (semver). */
  version: string;
  /** SDK_VERSION the plugin was written against; its major must equal the host's. */
  sdkVersion: string;
  /** One or two sentences: what the VMS receives and what must be set up there. */
  description: string;
  capabilities: readonly SinkCapability[];
}
