import { z } from 'zod';

/** Workarounds the ONVIF client knows how to apply; the others are recorded for the stages that need them (events). */
export const WORKAROUNDS = {
  skip: 'do not call the operation',
  'use-get-capabilities': 'read the services with the legacy GetCapabilities instead of GetServices',
  'use-media1': 'use the Media (ver10) service instead of Media2',
  'use-rtsp-unicast': 'ask Media2 GetStreamUri for RtspUnicast instead of RTSP',
  'renew-after-pull': 'renew an event subscription after every PullMessages (TerminationTime is not extended by pulls)',
  'absolute-termination-time': 'send absolute UTC times in Renew and InitialTerminationTime, never durations (PT60S)',
  'echo-reference-parameters': 'echo the subscription reference parameters (SubscriptionId) as SOAP headers',
} as const;

export type Workaround = keyof typeof WORKAROUNDS;

const workaroundNames = Object.keys(WORKAROUNDS) as [Workaround, ...Workaround[]];

export const vendorProfileSchema = z.strictObject({
  vendor: z.string().regex(/^[a-z0-9_-]+$/).describe('identifier, the file name without .yaml (required)'),
  title: z.string().min(1).describe('who this profile is for, in words (required)'),
  manufacturers: z
    .array(z.string().min(1))
    .default([])
    .describe('regular expressions (case-insensitive) matched against the Manufacturer of GetDeviceInformation; empty = never matched (the default profile)'),
  scopes: z
    .array(z.string().min(1))
    .default([])
    .describe('regular expressions (case-insensitive) matched against WS-Discovery scopes, to apply the profile before authenticating'),
  auth: z
    .strictObject({
      order: z
        .array(z.enum(['ws-security', 'http-digest']))
        .min(1)
        .default(['ws-security', 'http-digest'])
        .describe('authentication methods tried first on these devices, in order (used: saves failed attempts, which count towards lockouts)'),
      digestAlgorithms: z.array(z.enum(['MD5', 'SHA-256'])).default(['MD5']).describe('HTTP Digest algorithms the devices offer, several WWW-Authenticate headers when more than one (recorded: the strongest offered is chosen at run time)'),
      systemDateAndTimeNeedsAuth: z.boolean().default(false).describe('GetSystemDateAndTime refuses anonymous calls although ONVIF makes it PRE_AUTH (recorded: handled at run time, the first token stamped from the HTTP Date header)'),
      timeCheckFault: z.string().optional().describe('fault reason (regular expression) meaning a WS-Security Created time was refused (used: reported as ONVIF_CLOCK_SKEW)'),
      separateOnvifUsers: z.boolean().default(false).describe('ONVIF users are managed apart from the web interface users (recorded, for installers)'),
    })
    .prefault({})
    .describe('authentication behaviour'),
  clock: z
    .strictObject({
      utcDateTime: z.boolean().default(true).describe('GetSystemDateAndTime includes UTCDateTime, some cameras give only LocalDateTime (recorded: handled at run time)'),
    })
    .prefault({})
    .describe('clock reporting'),
  media2: z.enum(['supported', 'unsupported', 'unreliable']).default('supported').describe('Media2: used, never used (unsupported), or tried with a fallback to Media ver10 (unreliable; the fallback also applies to supported)'),
  brokenOperations: z
    .array(
      z.strictObject({
        operation: z.string().min(1).describe('the operation, e.g. GetServices or Media2/GetStreamUri (required)'),
        symptom: z.string().min(1).describe('what goes wrong (required)'),
        workaround: z.enum(workaroundNames).describe(`what Vigie does about it: ${workaroundNames.join(', ')} (required)`),
        firmware: z.string().optional().describe('firmware versions concerned, when known'),
      }),
    )
    .default([])
    .describe('operations known to fail, and their workaround'),
  streams: z
    .strictObject({
      rtspTransport: z.enum(['tcp', 'udp']).default('tcp').describe('RTP transport that works best (recorded for the ingest stage)'),
      examplePath: z.string().optional().describe('the RTSP path these devices use, for installers checking a URL by hand'),
    })
    .prefault({})
    .describe('streaming'),
  events: z
    .strictObject({
      topics: z.record(z.string(), z.array(z.string())).default({}).describe('event kind (motion, intrusion, lineCrossing, tampering, ...) to the topics the devices send for it'),
      workarounds: z.array(z.enum(workaroundNames)).default([]).describe('event subscription workarounds'),
    })
    .prefault({})
    .describe('event service (used by the event stages)'),
  notes: z.array(z.string()).default([]).describe('advice for installers'),
  sources: z.array(z.string()).default([]).describe('where this knowledge comes from (issue threads, vendor documents)'),
  fixtures: z.array(z.string().regex(/^[a-z0-9_-]+$/)).default([]).describe('folders under onvif-profiles/fixtures/ with recorded answers of such devices'),
});

export type VendorProfile = z.output<typeof vendorProfileSchema>;
export type VendorProfileInput = z.input<typeof vendorProfileSchema>;

/** Whether a profile has this workaround for an operation. */
export function hasWorkaround(profile: VendorProfile | undefined, operation: string, workaround: Workaround): boolean {
  return profile?.brokenOperations.some((b) => b.operation === operation && b.workaround === workaround) ?? false;
}
