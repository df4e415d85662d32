import type { RuleConfig } from '../config/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';

/** One analysed camera as the ONVIF device shows it: a video source with its media profile. */
export interface DeviceVideoSource {
  /** ONVIF token of the video source (stable, unique, at most 64 characters). */
  token: string;
  cameraId: string;
  name: string;
  width: number;
  height: number;
  framerate: number;
  /** Path on Vigie's RTSP server, e.g. `/cameras/<id>` (video passed through, plus the metadata track). */
  rtspPath: string;
}

/**
 * What the ONVIF device side needs from the rest of Vigie (contracts.md §5). The composition root builds it from the
 * camera registry, the analytics hub and the RTSP server; tests drive a fake one.
 */
export interface DeviceBackend {
  videoSources(): DeviceVideoSource[];
  rules: {
    list(cameraId: string): RuleConfig[];
    /**
     * Replaces the camera's rules; throws (any error) to refuse them, with a message naming the cause. `by` names who
     * asked (`onvif:<user>`), for the audit log.
     */
    set(cameraId: string, rules: RuleConfig[], by?: string): void;
  };
  events: {
    /** Every event message Vigie raises, as it is raised. Returns the unsubscribe function. */
    subscribe(listener: (event: AnalyticsEvent) => void): () => void;
    /** The latest message of each open incident (for SetSynchronizationPoint and new subscribers). */
    active(): AnalyticsEvent[];
  };
  rtspPort(): number;
  /** A JPEG of the camera's latest analysed picture, when one is available (Media GetSnapshotUri). Optional. */
  snapshot?(cameraId: string): Promise<Buffer | undefined>;
  /** Media2 SetSynchronizationPoint: start a new metadata document (and ask for a key frame). Optional. */
  synchronize?(cameraId: string): void;
}
