import type { RuleConfig } from '../config/index.js';
import type { Frame } from '../frames/index.js';
import type { AnalyticsEvent, FrameDetections, TrackedObject } from '../sdk/index.js';

/** One analysed frame after tracking and rules: what the metadata track serialises. */
export interface AnalyticsFrame {
  cameraId: string;
  sequence: number;
  /** Epoch ms of the frame. */
  captureTime: number;
  /** Camera picture size. */
  width: number;
  height: number;
  /** Confirmed tracks of this frame, normalised boxes. */
  tracks: TrackedObject[];
  /** Events raised on this frame. */
  events: AnalyticsEvent[];
}

/** The analytics stage: tracking, rules, events and evidence, per camera (contracts.md §4). */
export interface Analytics {
  /** Tracking → rules → events (published to the EventSink) → evidence. Frames of one camera are handled in order. */
  process(d: FrameDetections, frame?: Frame): Promise<AnalyticsFrame>;
  onFrame(listener: (f: AnalyticsFrame) => void): () => void;
  onEvent(listener: (e: AnalyticsEvent) => void): () => void;
  rules(cameraId: string): RuleConfig[];
  /** Replaces a camera's rules (the ONVIF analytics service edits them through this); throws RuleRefusedError. */
  setRules(cameraId: string, rules: RuleConfig[]): void;
  /** Latest message of each open incident (ONVIF SetSynchronizationPoint). */
  activeIncidents(cameraId?: string): AnalyticsEvent[];
  stop(): Promise<void>;
}
