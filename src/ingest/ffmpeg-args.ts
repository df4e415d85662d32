import type { IngestSettings } from './settings.js';

/** The model input ingest produces: frame size, pixel layout and the letterbox pad value (YOLOX: 114). */
export interface IngestInput {
  width: number;
  height: number;
  pixelFormat: 'bgr24' | 'rgb24';
  /** Grey level (0..255) of the letterbox padding. @defaultValue 114 */
  padValue?: number;
}

export const DEFAULT_PAD_VALUE = 114;

/**
 * The scaled picture size as ffmpeg expressions of the input size (`iw`, `ih`): the very operations of
 * `letterbox()` in src/frames, in the same order on doubles, so ffmpeg's scaled size equals the geometry Vigie
 * computes once it knows the picture size. The filter is therefore right for any picture size, known or not, and
 * stays right when a camera changes its resolution between two connections.
 */
function scaledSizeExpressions(input: { width: number; height: number }): { w: string; h: string } {
  const scale = `min(${input.width}/iw,${input.height}/ih)`;
  const even = (v: string, max: number) => `min(${max},max(2,floor(${v}*${scale}/2)*2))`;
  return { w: even('iw', input.width), h: even('ih', input.height) };
}

/**
 * The sampling filter: at most one frame per 1/sampleFps slot of the stream's own timestamps, the first decoded
 * in each slot. It keeps min(stream rate, sampleFps) frames per second and never repeats one: the `fps` filter it
 * replaces duplicated frames when the camera sent fewer than asked (a 10 fps stream sampled at 30 gave every
 * frame three times), and each copy was scaled, piped, queued and analysed for nothing. A timestamp jump (either
 * way) opens a new slot, so a camera that resets its clock keeps flowing. The small offset keeps a timestamp that
 * lands on a slot boundary (0.2 s at 5 fps, 0.19999 in floating point) in the slot it names.
 */
export function samplingFilter(sampleFps: number): string {
  const slot = (t: string) => `floor(${t}*${sampleFps}+0.001)`;
  return `select='not(eq(${slot('t')},${slot('prev_selected_t')}))'`;
}

/**
 * The filter chain: sample (first, so only kept frames are scaled), scale into the model input keeping the
 * aspect ratio, pad right and bottom with the pad value (top-left anchored, as `letterbox()` says), convert to
 * packed 8-bit RGB/BGR. Scaling and padding stay in planar YUV 4:2:0 and the conversion comes last, unscaled: two
 * cheap swscale passes instead of one that scales and converts together (measured on a 384x288 sub stream: 14 %
 * less ffmpeg CPU per frame; the pad stays exactly the grey asked for, the picture within 1 level on average).
 * A model input of odd size cannot be padded in 4:2:0, so it scales and converts in one pass, then pads in RGB.
 */
export function ingestFilter(settings: Pick<IngestSettings, 'sampleFps'>, input: IngestInput): string {
  const { w, h } = scaledSizeExpressions(input);
  const grey = Math.round(input.padValue ?? DEFAULT_PAD_VALUE)
    .toString(16)
    .padStart(2, '0');
  const pad = `pad=${input.width}:${input.height}:0:0:color=0x${grey}${grey}${grey}`;
  const planar = input.width % 2 === 0 && input.height % 2 === 0;
  return [
    samplingFilter(settings.sampleFps),
    `scale=w='${w}':h='${h}':flags=bilinear`,
    ...(planar ? ['format=yuv420p', pad, `format=${input.pixelFormat}`] : [`format=${input.pixelFormat}`, pad]),
  ].join(',');
}

function hwaccelArgs(hwaccel: IngestSettings['hwaccel']): string[] {
  // Decoded pictures come back to system memory for the CPU filters (no -hwaccel_output_format): the filters
  // then work unchanged, and only the decode, the costly part, moves to the GPU.
  if (hwaccel === 'cuda') return ['-hwaccel', 'cuda'];
  if (hwaccel === 'vaapi') return ['-hwaccel', 'vaapi'];
  return [];
}

function isRtsp(url: string): boolean {
  return /^rtsps?:\/\//i.test(url);
}

/**
 * The exact ffmpeg arguments (without the program) CameraIngest runs for a camera: RTSP over the configured
 * transport with a socket timeout, one decoder thread and one filter thread, the letterbox filter chain, raw frames
 * on stdout. Exported so benchmarks can run ffmpeg alone with the very same work (`bareFfmpegArgs`).
 */
export function ingestFfmpegArgs(url: string, settings: IngestSettings, input: IngestInput): string[] {
  const network = isRtsp(url)
    ? [
        '-rtsp_transport',
        settings.rtspTransport,
        // A backstop behind the watchdog (which restarts a run silent for stallSeconds): ffmpeg gives up on a
        // socket silent for twice that by itself, so a hung connection never outlives a lost watchdog.
        '-timeout',
        String(Math.round(settings.watchdog.stallSeconds * 2_000_000)),
        // The SDP names the codec and its parameters: one second of probing is plenty, instead of the five that
        // ffmpeg would otherwise buffer and then push through in a burst of stale frames at every (re)connection.
        '-analyzeduration',
        '1000000',
      ]
    : [];
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    ...hwaccelArgs(settings.hwaccel),
    '-threads',
    '1',
    // The filters on one thread as well: by default ffmpeg slices each small frame's scaling across every core, and
    // the hand-offs cost more than they save (measured: 24 % less ffmpeg CPU per 384x288 frame on 2 vCPU).
    '-filter_threads',
    '1',
    ...network,
    '-i',
    url,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    ingestFilter(settings, input),
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

/** The same arguments as `ingestFfmpegArgs`, named for benchmarks that run ffmpeg alone as the baseline. */
export const bareFfmpegArgs = ingestFfmpegArgs;
