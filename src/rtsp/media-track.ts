/** One RTP payload of a track, stamped on the track's timeline. */
export interface RtpUnit {
  /** Payload pieces, sent back to back. */
  parts: readonly Buffer[];
  marker: boolean;
  /** Timestamp on the track's own continuous timeline, in `clockRate` units (not wrapped to 32 bits). */
  timestamp: number;
  /** A receiver may start here (first packet of a key frame, or of a metadata document). */
  syncPoint: boolean;
}

/** Listener of a track: the units of one frame or document at a time, so outputs can write them in one go. */
export type RtpUnitListener = (units: readonly RtpUnit[]) => void;

/**
 * One media of an RTSP presentation: video, audio or an `application` track such as ONVIF metadata. A track is
 * shared by every client session; clients only subscribe.
 */
export interface MediaTrack {
  readonly kind: 'video' | 'audio' | 'application';
  readonly payloadType: number;
  readonly clockRate: number;
  /** SDP lines of this media section after `m=` (rtpmap, fmtp...), without `a=control`. */
  sdpAttributes(): string[];
  /** Resolves when the track can be described (e.g. H.264 parameter sets known); may start its source. */
  prepare(timeoutMs: number): Promise<void>;
  /** A client set this track up: keep its source running until `release`. */
  acquire(): void;
  release(): void;
  subscribe(listener: RtpUnitListener): () => void;
  /** The track's timeline position now (extrapolated from the last unit), for RTP-Info and RTCP. */
  currentTimestamp(): number;
}

/** What an RTSP URL serves: one or more tracks played together. */
export interface RtspMedia {
  /** Session name in the SDP. */
  name: string;
  tracks: readonly MediaTrack[];
  /**
   * Every track stamps its units on one timeline (same clock rate, same clock reference: a video track and the
   * metadata describing it). Each client session then gives all tracks one RTP timestamp base and origin, so the
   * same instant has the same RTP time in every track and a client can match them without RTCP.
   */
  sharedTimeline?: boolean;
}
