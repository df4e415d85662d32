import { OnvifFaultError, OnvifMalformedResponseError, OnvifNoProfileError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { readDeviceInformation, type DeviceIdentity } from './device-information.js';
import { readMedia1Profiles, readMedia2Profiles, readMediaUri, type MediaProfile } from './media-profiles.js';
import { OnvifSession, type AuthMode, type ClockState, type OnvifCredentials } from './onvif-session.js';
import { chooseProfile, DEFAULT_MODEL_INPUT, type ModelInput, type ProfileChoice } from './profile-choice.js';
import {
  getCapabilities,
  getDeviceInformation,
  getServices,
  media1GetProfiles,
  media1GetSnapshotUri,
  media1GetStreamUri,
  media2GetProfiles,
  media2GetSnapshotUri,
  media2GetStreamUri,
} from './requests.js';
import { localizeMediaUrl } from './service-url.js';
import { assumedServices, readCapabilities, readServices, type ServiceMap } from './services.js';
import { hasWorkaround, type VendorProfile } from './vendor-profile.js';
import { DEFAULT_VENDOR, type VendorProfiles } from './vendor-profiles.js';

export interface OnboardOptions {
  /** Device service URL. */
  url: URL;
  credentials?: OnvifCredentials;
  logger: Logger;
  /** Deadline of each call, in ms. @defaultValue 10 000 */
  timeoutMs?: number;
  /** The detection model's input size, to choose the profile. @defaultValue 416x416 */
  modelInput?: ModelInput;
  /** Profile token to analyse, or auto. @defaultValue auto */
  profile?: string;
  /** Vendor quirk profiles (onvif-profiles/); without them the device is handled generically. */
  vendors?: VendorProfiles;
  /** WS-Discovery scopes of the device, to apply its vendor profile before authenticating. */
  scopes?: readonly string[];
  /** What worked before with this device (a restart, a health check): tried first. */
  known?: { authMode?: AuthMode; clockOffsetMs?: number; vendor?: string };
  /** Abandons the onboarding (shutdown): the call in progress is cut and the promise rejects. */
  signal?: AbortSignal;
}

/** Everything learned about a device while onboarding it (`vigie probe` prints it; the camera registry keeps it). */
export interface OnboardingReport {
  device: string;
  identity: DeviceIdentity;
  /** The vendor profile applied (`_default` when no vendor matched). */
  vendor: { id: string; title: string };
  clock: { offsetMs: number | undefined; source: ClockState['source']; dateTimeType?: string; timeZone?: string; note?: string };
  auth: { mode: AuthMode; username?: string; digestAlgorithm?: string };
  services: ServiceMap;
  media: 'media2' | 'media1';
  profiles: MediaProfile[];
  /** The profile to analyse, unless none is usable (then `problem` says why). */
  chosen: ProfileChoice | undefined;
  problem: OnvifNoProfileError | undefined;
  /** Fallbacks taken, addresses rewritten, vendor workarounds applied. */
  notes: string[];
}

function isAnswerProblem(error: unknown): error is OnvifFaultError | OnvifMalformedResponseError {
  return error instanceof OnvifFaultError || error instanceof OnvifMalformedResponseError;
}

/**
 * Onboards one device, in the order real clients use (agsh/onvif `Cam.connect`): GetSystemDateAndTime without
 * credentials (the clock offset then stamps every WS-Security Created), GetServices (else GetCapabilities),
 * GetDeviceInformation (the first call that needs credentials: authentication is negotiated there), Media2
 * GetProfiles with Type=All (else Media), then GetStreamUri (RTSP over TCP) and GetSnapshotUri for each profile,
 * and the choice of the profile to analyse. Unreachable devices, wrong credentials, clock trouble, non-ONVIF
 * endpoints and broken answers are thrown as named errors; a missing snapshot or one bad profile is only noted.
 */
export async function onboardDevice(options: OnboardOptions): Promise<OnboardingReport> {
  const notes: string[] = [];
  const log = options.logger;
  const known = options.known ?? {};
  const preVendor = (known.vendor ? options.vendors?.byId(known.vendor) : undefined) ?? (options.scopes ? options.vendors?.byScopes(options.scopes) : undefined);
  const sessionFor = (vendor: VendorProfile | undefined) =>
    new OnvifSession({
      deviceUrl: options.url,
      credentials: options.credentials,
      logger: log,
      timeoutMs: options.timeoutMs,
      authOrder: vendor?.auth.order,
      authMode: known.authMode,
      clockOffsetMs: known.clockOffsetMs,
      timeFaultPattern: vendor?.auth.timeCheckFault ? new RegExp(vendor.auth.timeCheckFault, 'i') : undefined,
      signal: options.signal,
    });
  const session = sessionFor(preVendor);
  if (preVendor && preVendor.vendor !== DEFAULT_VENDOR) notes.push(`vendor profile ${preVendor.vendor} applied from the discovery scopes before authenticating`);

  const clock = await session.syncClock();
  if (clock.reading?.note) notes.push(clock.reading.note);
  if (clock.source === 'http-date') notes.push('the device did not give its time with GetSystemDateAndTime: the clock offset comes from its HTTP Date header');

  let services: ServiceMap;
  const servicesBroken = hasWorkaround(preVendor, 'GetServices', 'use-get-capabilities');
  try {
    if (servicesBroken) throw new OnvifFaultError(session.device, 'GetServices', 'Receiver', [], 'skipped (vendor profile: GetServices is broken)', 0);
    services = readServices(await session.call(options.url.href, getServices()), options.url);
  } catch (error) {
    if (!isAnswerProblem(error)) throw error;
    notes.push(`GetServices failed (${error instanceof OnvifFaultError ? error.reason : 'malformed answer'}): services read with GetCapabilities`);
    try {
      services = readCapabilities(await session.call(options.url.href, getCapabilities()), options.url);
    } catch (second) {
      if (!isAnswerProblem(second)) throw second;
      notes.push('GetCapabilities failed too: every service is assumed at the device URL');
      services = assumedServices(options.url);
    }
  }
  for (const s of services.all) if (s.announced) notes.push(`service ${s.namespace} announced at ${s.announced}: reached at ${s.xaddr}`);

  const identity = readDeviceInformation(await session.call(options.url.href, getDeviceInformation()));
  const vendor = options.vendors?.byManufacturer(identity.manufacturer);
  if (vendor && vendor.vendor !== DEFAULT_VENDOR && vendor.vendor !== preVendor?.vendor) notes.push(`vendor profile ${vendor.vendor} applied (manufacturer "${identity.manufacturer}")`);

  let media: OnboardingReport['media'] = 'media1';
  let profiles: MediaProfile[] | undefined;
  const media2Allowed = vendor?.media2 !== 'unsupported' && !hasWorkaround(vendor, 'Media2/GetProfiles', 'use-media1');
  if (services.media2 && media2Allowed) {
    try {
      const media2Profiles = readMedia2Profiles(await session.call(services.media2, media2GetProfiles()));
      if (media2Profiles.some((p) => p.encoding) || !services.media) {
        profiles = media2Profiles;
        media = 'media2';
      } else {
        notes.push('Media2 GetProfiles gave no video encoder configuration (even with Type=All): using Media (ver10)');
      }
    } catch (error) {
      if (!isAnswerProblem(error) || !services.media) throw error;
      notes.push(`Media2 GetProfiles failed (${error.message.replace(/^camera \S+ /, '')}): using Media (ver10)`);
    }
  } else if (services.media2) notes.push(`Media2 not used (vendor profile ${vendor?.vendor})`);
  if (!profiles) {
    const mediaUrl = services.media ?? options.url.href;
    if (!services.media) notes.push('the device lists no Media service: asking the device URL');
    profiles = readMedia1Profiles(await session.call(mediaUrl, media1GetProfiles()));
  }

  const skipSnapshots = hasWorkaround(vendor, 'GetSnapshotUri', 'skip');
  const rtspUnicastFirst = hasWorkaround(vendor, 'Media2/GetStreamUri', 'use-rtsp-unicast');
  for (const profile of profiles) {
    if (!profile.encoding) continue;
    await readUris(profile);
  }

  async function readUris(profile: MediaProfile): Promise<void> {
    const url = media === 'media2' ? services.media2! : (services.media ?? options.url.href);
    const attempts = media === 'media2' ? (rtspUnicastFirst ? ['RtspUnicast', 'RTSP'] as const : ['RTSP', 'RtspUnicast'] as const) : [undefined];
    for (const protocol of attempts) {
      try {
        const response = await session.call(url, protocol ? media2GetStreamUri(profile.token, protocol) : media1GetStreamUri(profile.token));
        const uri = readMediaUri(response);
        const local = uri ? localizeMediaUrl(uri, options.url, ['rtsp:', 'rtsps:']) : undefined;
        if (!local) {
          profile.problems.push(`GetStreamUri gave no rtsp:// URI${uri ? ` (${uri.slice(0, 80)})` : ''}`);
        } else {
          profile.streamUri = local.url;
          if (local.rewritten) notes.push(`profile ${profile.token}: stream announced at ${local.original}, reached at ${local.url}`);
        }
        break;
      } catch (error) {
        if (!isAnswerProblem(error)) throw error;
        const retry = protocol === attempts[0] && attempts.length > 1 && error instanceof OnvifFaultError;
        if (!retry) profile.problems.push(`GetStreamUri: ${error instanceof OnvifFaultError ? `${error.faultCode}${error.subcodes.length ? `/${error.subcodes.map((s) => s.local).join('/')}` : ''} ${error.reason}` : 'malformed answer'}`);
        else log.debug({ profile: profile.token, protocol }, 'GetStreamUri refused this protocol, trying the other');
      }
    }
    if (skipSnapshots) return;
    try {
      const response = await session.call(url, media === 'media2' ? media2GetSnapshotUri(profile.token) : media1GetSnapshotUri(profile.token));
      const uri = readMediaUri(response);
      const local = uri ? localizeMediaUrl(uri, options.url, ['http:', 'https:']) : undefined;
      if (local) profile.snapshotUri = local.url;
    } catch (error) {
      if (!isAnswerProblem(error)) throw error;
      log.debug({ profile: profile.token, err: error }, 'no snapshot URI');
    }
  }

  let chosen: ProfileChoice | undefined;
  let problem: OnvifNoProfileError | undefined;
  try {
    chosen = chooseProfile(profiles, options.modelInput ?? DEFAULT_MODEL_INPUT, session.device, options.profile);
  } catch (error) {
    if (!(error instanceof OnvifNoProfileError)) throw error;
    problem = error;
  }

  return {
    device: session.device,
    identity,
    vendor: { id: vendor?.vendor ?? DEFAULT_VENDOR, title: vendor?.title ?? 'no vendor profile' },
    clock: {
      offsetMs: session.clock.offsetMs,
      source: session.clock.source,
      dateTimeType: session.clock.reading?.dateTimeType,
      timeZone: session.clock.reading?.timeZone,
      note: session.clock.reading?.note,
    },
    auth: { mode: session.authMode ?? 'none', username: session.authMode && session.authMode !== 'none' ? session.username : undefined, digestAlgorithm: session.digestAlgorithm },
    services,
    media,
    profiles,
    chosen,
    problem,
    notes,
  };
}

/** The stream URL with the credentials inline, as ffmpeg takes it (never log it: the logger scrubs it anyway). */
export function streamUrlWithCredentials(uri: string, credentials: OnvifCredentials | undefined): string {
  if (!credentials) return uri;
  const u = new URL(uri);
  u.username = encodeURIComponent(credentials.username);
  u.password = encodeURIComponent(credentials.password);
  return u.href;
}
