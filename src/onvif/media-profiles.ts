import { NS, type XmlElement } from '../soap/index.js';

/** A media profile with its video stream, as Vigie needs it. */
export interface MediaProfile {
  token: string;
  name: string;
  /** Video encoding: H264, H265, JPEG, MPEG4; undefined for a profile without video (audio, metadata only). */
  encoding: string | undefined;
  width: number | undefined;
  height: number | undefined;
  /** Frame rate limit of the encoder. */
  fps: number | undefined;
  bitrateKbps: number | undefined;
  /** H.264/H.265 profile (Main, High, Baseline) when given. */
  codecProfile: string | undefined;
  videoSourceToken: string | undefined;
  /** RTSP URL (RTP over RTSP/TCP), once asked. */
  streamUri?: string;
  snapshotUri?: string;
  /** What went wrong asking for the URIs of this profile. */
  problems: string[];
}

function num(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** Encoding names normalised: Media2 uses MIME subtypes (H264, H265, JPEG, MPV4-ES), Media1 an enumeration. */
export function normaliseEncoding(text: string | undefined): string | undefined {
  const t = (text ?? '').trim().toUpperCase();
  if (!t) return undefined;
  if (t === 'H264' || t === 'H.264' || t === 'AVC') return 'H264';
  if (t === 'H265' || t === 'H.265' || t === 'HEVC') return 'H265';
  if (t === 'JPEG' || t === 'MJPEG') return 'JPEG';
  if (t === 'MPEG4' || t === 'MPV4-ES' || t === 'MP4V-ES') return 'MPEG4';
  return t.slice(0, 16);
}

const clip = (text: string | undefined) => (text ?? '').trim().slice(0, 128);

function profileBase(element: XmlElement, nameNs: string): Pick<MediaProfile, 'token' | 'name'> | undefined {
  const token = clip(element.attribute('token'));
  if (!token) return undefined;
  return { token, name: clip(element.childText(nameNs, 'Name')) || token };
}

function video(encoder: XmlElement | undefined, sourceToken: string | undefined, codecProfile: string | undefined) {
  const resolution = encoder?.child(NS.tt, 'Resolution');
  const rate = encoder?.child(NS.tt, 'RateControl');
  return {
    encoding: normaliseEncoding(encoder?.childText(NS.tt, 'Encoding')),
    width: num(resolution?.childText(NS.tt, 'Width'), 1, 16384),
    height: num(resolution?.childText(NS.tt, 'Height'), 1, 16384),
    fps: num(rate?.childText(NS.tt, 'FrameRateLimit'), 0.01, 1000),
    bitrateKbps: num(rate?.childText(NS.tt, 'BitrateLimit'), 1, 10_000_000),
    codecProfile: codecProfile ? clip(codecProfile) : undefined,
    videoSourceToken: sourceToken ? clip(sourceToken) : undefined,
    problems: [],
  };
}

/** tr2:GetProfilesResponse (asked with Type=All) → profiles; entries without a token are left out. */
export function readMedia2Profiles(response: XmlElement): MediaProfile[] {
  const out: MediaProfile[] = [];
  for (const p of response.childrenNamed(NS.tr2, 'Profiles').slice(0, 64)) {
    const base = profileBase(p, NS.tr2);
    if (!base) continue;
    const configurations = p.child(NS.tr2, 'Configurations');
    const encoder = configurations?.child(NS.tr2, 'VideoEncoder');
    const source = configurations?.child(NS.tr2, 'VideoSource');
    out.push({ ...base, ...video(encoder, source?.childText(NS.tt, 'SourceToken'), encoder?.attribute('Profile')) });
  }
  return out;
}

/** trt:GetProfilesResponse → profiles; entries without a token are left out. */
export function readMedia1Profiles(response: XmlElement): MediaProfile[] {
  const out: MediaProfile[] = [];
  for (const p of response.childrenNamed(NS.trt, 'Profiles').slice(0, 64)) {
    const base = profileBase(p, NS.tt);
    if (!base) continue;
    const encoder = p.child(NS.tt, 'VideoEncoderConfiguration');
    const source = p.child(NS.tt, 'VideoSourceConfiguration');
    const codec = encoder?.child(NS.tt, 'H264')?.childText(NS.tt, 'H264Profile') ?? encoder?.child(NS.tt, 'MPEG4')?.childText(NS.tt, 'Mpeg4Profile');
    out.push({ ...base, ...video(encoder, source?.childText(NS.tt, 'SourceToken'), codec) });
  }
  return out;
}

/** The URI of a Media1 MediaUri answer (GetStreamUri, GetSnapshotUri) or a Media2 one. */
export function readMediaUri(response: XmlElement): string | undefined {
  const media2 = response.childText(NS.tr2, 'Uri');
  if (media2) return media2;
  return response.child(NS.trt, 'MediaUri')?.childText(NS.tt, 'Uri') || undefined;
}
