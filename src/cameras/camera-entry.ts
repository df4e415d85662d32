import type { CameraConfig } from '../config/index.js';

/** Where a camera stands: `online` cameras have a stream to analyse. */
export type CameraState = 'pending' | 'online' | 'offline' | 'unauthorized' | 'failed';

/** The stream a camera is analysed from. */
export interface CameraStream {
  /** RTSP URL without credentials, for display and logs. */
  uri: string;
  /** The URL to open, with the credentials inline (`rtsp://user:pass@host/...`). Never log it. */
  url: string;
  /** ONVIF media profile, for ONVIF cameras. */
  profileToken?: string;
  encoding?: string;
  width?: number;
  height?: number;
  fps?: number;
}

/** A camera as the rest of Vigie sees it. */
export interface CameraEntry {
  /** Stable id (configuration id, or derived from the discovered device and kept in the store). */
  id: string;
  name: string;
  /** From the configuration file, or found by WS-Discovery. */
  origin: 'config' | 'discovery';
  /** A plain RTSP URL (configuration `rtsp:`), or an ONVIF device onboarded to a stream. */
  kind: 'rtsp' | 'onvif';
  state: CameraState;
  /** Why it is in this state (offline, unauthorized, failed), in words. */
  reason?: string;
  /** ISO time of the last state change. */
  since: string;
  stream?: CameraStream;
  /** The ONVIF device behind it. */
  device?: {
    xaddr: string;
    endpoint?: string;
    address?: string;
    manufacturer?: string;
    model?: string;
    serialNumber?: string;
    vendor?: string;
  };
  /** The configuration entry (rules, ingest overrides) of configured cameras. */
  config?: CameraConfig;
}
