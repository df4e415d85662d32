import { NS, type XmlElement } from '../soap/index.js';
import { localizeServiceUrl } from './service-url.js';

/** A service of a device, as GetServices (or GetCapabilities) describes it. */
export interface ServiceEndpoint {
  namespace: string;
  /** Usable URL (see `localizeServiceUrl`). */
  xaddr: string;
  /** As the device returned it, when that differs. */
  announced?: string;
  version?: string;
}

/** Where the services Vigie uses live. */
export interface ServiceMap {
  device: string;
  media?: string;
  media2?: string;
  events?: string;
  analytics?: string;
  imaging?: string;
  ptz?: string;
  all: ServiceEndpoint[];
  /** Read from GetServices, or the legacy GetCapabilities. */
  from: 'GetServices' | 'GetCapabilities' | 'assumed';
}

const KEYS: Record<string, keyof Omit<ServiceMap, 'all' | 'from'>> = {
  [NS.tds]: 'device',
  [NS.trt]: 'media',
  [NS.tr2]: 'media2',
  [NS.tev]: 'events',
  [NS.tan]: 'analytics',
  'http://www.onvif.org/ver20/imaging/wsdl': 'imaging',
  'http://www.onvif.org/ver20/ptz/wsdl': 'ptz',
  'http://www.onvif.org/ver10/analytics/wsdl': 'analytics',
};

function build(entries: ServiceEndpoint[], deviceUrl: URL, from: ServiceMap['from']): ServiceMap {
  const map: ServiceMap = { device: deviceUrl.href, all: entries, from };
  for (const entry of entries) {
    const key = KEYS[entry.namespace];
    if (key && (key !== 'device' || map.device === deviceUrl.href)) map[key] = entry.xaddr;
  }
  // The device service is the one we reached: keep using it (its announced XAddr may be a factory address).
  map.device = deviceUrl.href;
  return map;
}

function endpoint(namespace: string, xaddr: string | undefined, deviceUrl: URL, version?: string): ServiceEndpoint | undefined {
  if (!namespace || !xaddr) return undefined;
  const localized = localizeServiceUrl(xaddr, deviceUrl);
  if (!localized) return undefined;
  return { namespace, xaddr: localized.url, ...(localized.rewritten ? { announced: localized.original } : {}), ...(version ? { version } : {}) };
}

/** tds:GetServicesResponse → the service map. Entries without a namespace or a usable XAddr are left out. */
export function readServices(response: XmlElement, deviceUrl: URL): ServiceMap {
  const entries: ServiceEndpoint[] = [];
  for (const service of response.childrenNamed(NS.tds, 'Service').slice(0, 64)) {
    const v = service.child(NS.tds, 'Version');
    const major = v?.childText(NS.tt, 'Major');
    const minor = v?.childText(NS.tt, 'Minor');
    const e = endpoint(service.childText(NS.tds, 'Namespace') ?? '', service.childText(NS.tds, 'XAddr'), deviceUrl, major ? `${major}.${minor ?? '0'}` : undefined);
    if (e) entries.push(e);
  }
  return build(entries, deviceUrl, 'GetServices');
}

/** tds:GetCapabilitiesResponse (legacy: no Media2) → the service map. */
export function readCapabilities(response: XmlElement, deviceUrl: URL): ServiceMap {
  const caps = response.child(NS.tds, 'Capabilities');
  const entries: ServiceEndpoint[] = [];
  const add = (local: string, namespace: string, parent: XmlElement | undefined = caps) => {
    const e = endpoint(namespace, parent?.child(NS.tt, local)?.childText(NS.tt, 'XAddr'), deviceUrl);
    if (e) entries.push(e);
  };
  add('Device', NS.tds);
  add('Media', NS.trt);
  add('Events', NS.tev);
  add('Analytics', 'http://www.onvif.org/ver10/analytics/wsdl');
  add('Imaging', 'http://www.onvif.org/ver20/imaging/wsdl');
  add('PTZ', 'http://www.onvif.org/ver20/ptz/wsdl');
  return build(entries, deviceUrl, 'GetCapabilities');
}

/** When a device answers neither: every service is assumed at the device URL (many cameras serve them all there). */
export function assumedServices(deviceUrl: URL): ServiceMap {
  return { device: deviceUrl.href, media: deviceUrl.href, media2: undefined, all: [], from: 'assumed' };
}
