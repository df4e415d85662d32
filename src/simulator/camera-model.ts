import type { H264Track } from '../rtsp/index.js';
import type { CameraIdentity } from './identity.js';
import type { SimulatorOptions } from './options.js';
import type { VideoInfo } from './video-file.js';

/** One media profile of a simulated camera: a video stream with its encoder settings. */
export interface StreamProfile {
  /** ONVIF profile token (`profile_main`, `profile_sub`). */
  token: string;
  name: string;
  /** RTSP path (`/main`). */
  rtspPath: string;
  encoderToken: string;
  video: VideoInfo;
  track: H264Track;
}

/** Everything the ONVIF services of one camera describe. */
export interface CameraModel {
  identity: CameraIdentity;
  options: SimulatorOptions;
  main: VideoInfo;
  profiles: readonly StreamProfile[];
  /** The camera's clock (this machine's clock plus the configured offset), in ms. */
  now(): number;
  httpPort(): number;
  rtspPort(): number;
}

export const VIDEO_SOURCE_TOKEN = 'VideoSource_1';
export const VIDEO_SOURCE_CONFIGURATION_TOKEN = 'VideoSourceConfig_1';
export const ONVIF_VERSION = { major: 24, minor: 12 } as const;

/** The host to put in URLs: the configured one, or (listening on a wildcard) the address the request came in on. */
export function advertisedHost(model: CameraModel, requestLocalAddress: string): string {
  const h = model.options.host;
  return h === '0.0.0.0' || h === '::' || h === '' ? requestLocalAddress : h;
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function serviceUrl(model: CameraModel, host: string, service: 'device' | 'media' | 'media2'): string {
  return `http://${hostPart(host)}:${model.httpPort()}/onvif/${service}_service`;
}

/** The stream's `rtsp://` URL, or with `http` its RTSP-over-HTTP form (same port: the RTSP server takes both). */
export function streamUrl(model: CameraModel, host: string, profile: StreamProfile, scheme: 'rtsp' | 'http' = 'rtsp'): string {
  return `${scheme}://${hostPart(host)}:${model.rtspPort()}${profile.rtspPath}`;
}

export function snapshotUrl(model: CameraModel, host: string, profile: StreamProfile): string {
  return `http://${hostPart(host)}:${model.httpPort()}/onvif/snapshot/${encodeURIComponent(profile.token)}.jpg`;
}

/** The scopes announced in WS-Discovery and returned by GetScopes. */
export function cameraScopes(model: CameraModel): string[] {
  const base = 'onvif://www.onvif.org';
  return [
    `${base}/Profile/Streaming`,
    `${base}/type/video_encoder`,
    `${base}/type/Network_Video_Transmitter`,
    `${base}/hardware/${encodeURIComponent(model.identity.hardwareId)}`,
    `${base}/name/${encodeURIComponent(model.identity.name)}`,
    `${base}/location/${encodeURIComponent(model.options.location)}`,
    `${base}/MacAddress/${model.identity.macAddress.replace(/:/g, '')}`,
    `${base}/SerialNumber/${encodeURIComponent(model.identity.serialNumber)}`,
  ];
}
