import type { AnalyticsEvent, TrackedObject } from '../sdk/index.js';

/**
 * What the metadata track serialises: the analytics hub's `AnalyticsFrame` (contracts §4), declared here by its
 * shape so this stage depends only on the SDK types. One per analysed frame of one camera.
 */
export interface MetadataFrame {
  cameraId: string;
  sequence: number;
  /** Capture time of the analysed frame, epoch ms (when it left the decoder). */
  captureTime: number;
  /** Camera picture size, pixels. */
  width: number;
  height: number;
  /** Confirmed tracks of this frame, boxes normalised 0..1 with y down. */
  tracks: readonly TrackedObject[];
  /** Events raised on this frame. */
  events: readonly AnalyticsEvent[];
}

/** An event topic filter as SetMetadataConfiguration gives it: a topic (namespace URI and path), or its whole subtree. */
export interface MetadataTopicPattern {
  uri: string;
  path: readonly string[];
  subtree: boolean;
}

/** What a camera's metadata configuration asks for (ONVIF `tt:MetadataConfiguration` Analytics and Events). */
export interface MetadataOptions {
  /** Scene description: `tt:VideoAnalytics/tt:Frame` with one `tt:Object` per track. */
  analytics: boolean;
  /** Rule events as `tt:Event/wsnt:NotificationMessage`. */
  events: boolean;
  /** Only events under these topics (the configuration's Events/Filter); undefined or empty = every event. */
  eventTopics?: readonly MetadataTopicPattern[];
}
