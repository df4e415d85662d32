import type { NormalizedBox } from './detection.js';
import type { EventType } from './event-types.js';

/** Lifecycle of an incident, matching ONVIF property semantics: start = Initialized, update = Changed, end = Deleted. */
export type EventState = 'start' | 'update' | 'end';

/** An object involved in an event: a track on one camera, never an identity. */
export interface EventObject {
  trackId: number;
  label: string;
  score: number;
  box: NormalizedBox;
}

/** What an auditor needs to reproduce an event. */
export interface EventProvenance {
  model: { id: string; sha256: string };
  /** Thresholds in force: detector score and NMS, and the rule's own (e.g. dwell seconds). */
  thresholds: Record<string, number>;
  /** sha256 of the rule's configuration (canonical JSON). */
  ruleConfigSha256: string;
  /** Vigie's version. */
  software: string;
}

/**
 * The canonical event every output receives. One incident (an intrusion from entry to exit, say) produces a
 * `start`, zero or more `update`s and an `end`, sharing `incidentId`; each message has its own `id`, which is the
 * idempotency key for delivery.
 */
export interface AnalyticsEvent {
  /** Unique per message; time-ordered (UUID v7). */
  id: string;
  /** Shared by the start, updates and end of one incident. */
  incidentId: string;
  type: EventType;
  state: EventState;
  /** Per-camera sequence number, increasing, for ordered delivery. */
  sequence: number;
  cameraId: string;
  cameraName: string;
  rule: { name: string; type: EventType };
  /** Capture time of the analysed frame that produced this message, ISO 8601 UTC. */
  frameTime: string;
  /** When Vigie produced the message, ISO 8601 UTC. */
  emittedAt: string;
  /** One line for an operator, e.g. `Intrusion in zone "track-side": 1 person`. */
  message: string;
  objects: EventObject[];
  /** Counters, e.g. `{ inside: 3 }` or `{ a_to_b: 12, b_to_a: 9 }`. */
  counts: Record<string, number>;
  /** Code of the décret 2023-828 event, when the type is one of the eight. */
  frCode?: string;
  provenance: EventProvenance;
  /** Evidence kept with the event: fetch its bytes through the snapshot store, never inline in the event. */
  evidence?: { snapshotId: string; contentType: 'image/jpeg' };
}
