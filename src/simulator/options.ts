import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** A failure a simulated camera injects into its SOAP answers, for testing clients against broken devices. */
export type SimulatedFault = { kind: 'none' } | { kind: 'soap-500' } | { kind: 'malformed-xml' } | { kind: 'slow'; delayMs: number };

/** Parses `none`, `soap-500`, `malformed-xml` or `slow:MS`; undefined when not one of them. */
export function parseFault(text: string): SimulatedFault | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'soap-500' || t === 'malformed-xml') return { kind: t };
  const m = /^slow:(\d{1,6})$/.exec(t);
  return m ? { kind: 'slow', delayMs: Number(m[1]) } : undefined;
}

/** Vendor behaviours a simulated camera can imitate, to rehearse clients against them. */
export const SIMULATOR_QUIRKS = {
  'sdt-needs-auth': 'GetSystemDateAndTime needs authentication (Panasonic, Vivotek, Digital Barriers)',
  'no-utc-datetime': 'GetSystemDateAndTime gives only LocalDateTime, in time zone CST-8 (cheap cameras)',
  'no-media2': 'no Media2 service: GetServices lists Device and Media only, Media2 calls fail',
  'no-get-services': 'GetServices is not implemented (ActionNotSupported): clients must use GetCapabilities',
  'wsse-time-fault': 'a UsernameToken outside the clock window gets the fault reason "Wsse authorized time check failed" (Hikvision)',
} as const;

export type SimulatorQuirk = keyof typeof SIMULATOR_QUIRKS;

/** Parses a quirk name; undefined when unknown. */
export function parseQuirk(text: string): SimulatorQuirk | undefined {
  const t = text.trim().toLowerCase();
  return t in SIMULATOR_QUIRKS ? (t as SimulatorQuirk) : undefined;
}

function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'vigie', 'simulator');
}

export const simulatorOptionsSchema = z.strictObject({
  cameras: z.number().int().min(1).max(256).default(1).describe('number of simulated cameras in this process'),
  video: z.string().min(1).describe('H.264 video file every camera streams, looped at its own frame rate (required)'),
  host: z.string().default('127.0.0.1').describe('address the cameras listen on and advertise; 0.0.0.0 = every interface'),
  httpPort: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8000)
    .describe('ONVIF HTTP port of camera 1; camera i uses httpPort + i - 1; 0 = a free port for each camera'),
  rtspPort: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8554)
    .describe('RTSP port of camera 1; camera i uses rtspPort + i - 1; 0 = a free port for each camera'),
  user: z.string().min(1).default('admin').describe('user name the cameras accept (ONVIF, RTSP and snapshots)'),
  password: z.string().min(1).default('admin').describe('password of that user'),
  auth: z
    .enum(['digest', 'wsse', 'both'])
    .default('both')
    .describe('ONVIF authentication: HTTP Digest only, WS-UsernameToken only (legacy cameras), or both (most cameras)'),
  digestAlgorithms: z
    .array(z.enum(['MD5', 'SHA-256']))
    .min(1)
    .default(['MD5'])
    .describe('Digest challenges offered on HTTP, in order (MD5 and SHA-256 together imitate recent Hikvision firmware)'),
  clockOffsetSeconds: z.number().default(0).describe('the cameras clock runs this many seconds ahead (negative: behind) of this machine'),
  fault: z
    .custom<SimulatedFault>((v) => typeof v === 'object' && v !== null && 'kind' in v)
    .default({ kind: 'none' })
    .describe('failure injected into every SOAP answer: none, soap-500, malformed-xml or slow (delay in ms)'),
  dropAfterSeconds: z.number().positive().optional().describe('end every RTSP session this long after PLAY (clients may reconnect); unset = never'),
  discovery: z.boolean().default(true).describe('answer WS-Discovery probes and send Hello/Bye'),
  discoveryAddress: z
    .string()
    .optional()
    .describe('IPv4 address of the interface WS-Discovery joins and sends on; default: host (required when host is a wildcard)'),
  discoveryPort: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(3702)
    .describe('WS-Discovery UDP port (3702 is the standard; tests use a private one to stay apart from other programs)'),
  quirks: z
    .array(z.enum(Object.keys(SIMULATOR_QUIRKS) as [SimulatorQuirk, ...SimulatorQuirk[]]))
    .default([])
    .describe(`vendor behaviours to imitate: ${Object.keys(SIMULATOR_QUIRKS).join(', ')}`),
  discoveryReplyDelayMs: z.number().int().min(0).max(5000).default(500).describe('ProbeMatches wait a random 0..this many ms, as WS-Discovery asks'),
  namePrefix: z.string().min(1).default('Vigie simulated camera').describe('camera i is named "<namePrefix> i"'),
  location: z.string().min(1).default('simulator').describe('the location scope every camera announces'),
  cacheDir: z.string().default(defaultCacheDir()).describe('where the transcoded sub streams are kept between runs'),
  subStreamFps: z.number().positive().max(30).default(5).describe('frame rate of the sub stream (profile_sub)'),
  subStreamMaxWidth: z.number().int().min(64).max(1920).default(640).describe('largest width of the sub stream; it is half the main width at most'),
  preloadMaxMB: z
    .number()
    .min(0)
    .default(256)
    .describe(
      'a video (main or sub stream) up to this many MiB is read once into memory and played by every camera from there; a larger one streams from disk through one ffmpeg per camera and stream; 0 = always stream',
    ),
  sourceLingerSeconds: z.number().min(0).default(10).describe('keep a stream source running this long after its last client left'),
  sessionTimeoutSeconds: z.number().int().min(5).max(3600).default(60).describe('RTSP session timeout advertised to clients'),
});

export type SimulatorOptionsInput = z.input<typeof simulatorOptionsSchema>;
export type SimulatorOptions = z.output<typeof simulatorOptionsSchema>;
