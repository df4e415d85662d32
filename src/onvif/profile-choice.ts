import { OnvifNoProfileError } from '../errors/index.js';
import type { MediaProfile } from './media-profiles.js';

/** Width and height of the detection model's input (416x416 for the default YOLOX-Nano). */
export interface ModelInput {
  width: number;
  height: number;
}

export const DEFAULT_MODEL_INPUT: ModelInput = { width: 416, height: 416 };

/** Codecs ffmpeg decodes, cheapest first. */
const CODEC_RANK: Record<string, number> = { H264: 0, H265: 1, MPEG4: 2, JPEG: 3 };

export interface ProfileChoice {
  profile: MediaProfile;
  reason: string;
}

export function isAnalysable(p: MediaProfile): boolean {
  return p.streamUri !== undefined && p.encoding !== undefined && p.encoding in CODEC_RANK;
}

/**
 * A picture covers the model input when letterboxing it into the input shrinks it (or keeps it): its width or its
 * height reaches the input's. Smaller pictures would be enlarged, adding pixels but no detail.
 */
export function coversInput(p: MediaProfile, input: ModelInput): boolean {
  return p.width !== undefined && p.height !== undefined && (p.width >= input.width || p.height >= input.height);
}

function size(p: MediaProfile): string {
  return p.width && p.height ? `${p.width}x${p.height}` : 'unknown size';
}

/**
 * The profile Vigie analyses: the one named in the configuration, else the smallest stream (in pixels) at or above
 * the model input, a cheaper codec and a lower bitrate breaking ties; when every stream is smaller than the input,
 * the largest one. Throws `OnvifNoProfileError` when the named profile is missing or no profile has a stream.
 */
export function chooseProfile(profiles: readonly MediaProfile[], input: ModelInput, device: string, preferred?: string): ProfileChoice {
  const tokens = profiles.map((p) => p.token).join(', ') || 'none';
  if (preferred && preferred !== 'auto') {
    const named = profiles.find((p) => p.token === preferred);
    if (!named) throw new OnvifNoProfileError(device, `has no media profile "${preferred}"`, `set cameras[].onvif.profile to one of: ${tokens} (or auto)`);
    if (!isAnalysable(named)) {
      throw new OnvifNoProfileError(device, `profile "${preferred}" has no usable video stream${named.problems.length ? ` (${named.problems.join('; ')})` : ''}`, `choose another profile (${tokens}) or auto`);
    }
    return { profile: named, reason: 'named in the configuration' };
  }
  const usable = profiles.filter(isAnalysable);
  if (usable.length === 0) {
    const why = profiles.flatMap((p) => p.problems.map((m) => `${p.token}: ${m}`)).slice(0, 3).join('; ');
    throw new OnvifNoProfileError(device, `no media profile has a video stream Vigie can decode (profiles: ${tokens}${why ? `; ${why}` : ''})`, 'configure an H.264 (or H.265) stream on the camera, then probe again');
  }
  const area = (p: MediaProfile) => (p.width ?? 0) * (p.height ?? 0);
  const tie = (a: MediaProfile, b: MediaProfile) => CODEC_RANK[a.encoding!]! - CODEC_RANK[b.encoding!]! || (a.bitrateKbps ?? Infinity) - (b.bitrateKbps ?? Infinity);
  const covering = usable.filter((p) => coversInput(p, input)).sort((a, b) => area(a) - area(b) || tie(a, b));
  if (covering[0]) return { profile: covering[0], reason: `the smallest stream at or above the model input ${input.width}x${input.height} (${size(covering[0])})` };
  const largest = [...usable].sort((a, b) => area(b) - area(a) || tie(a, b))[0]!;
  return { profile: largest, reason: `every stream is smaller than the model input ${input.width}x${input.height}: the largest (${size(largest)})` };
}
