/** What the ONVIF scopes of a device say about it (onvif://www.onvif.org/<category>/<value>). */
export interface ScopeSummary {
  name: string | undefined;
  hardware: string | undefined;
  location: string | undefined;
  /** Profiles claimed: `Streaming` (S), `T`, `M`, `G`, ... */
  profiles: string[];
  macAddress: string | undefined;
  serialNumber: string | undefined;
}

const PREFIX = 'onvif://www.onvif.org/';

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (_error) {
    return value; // not valid percent-encoding: shown as announced
  }
}

/** Reads name, hardware, location, profiles, MAC and serial from ONVIF scopes; other scopes are ignored. */
export function summarizeScopes(scopes: readonly string[]): ScopeSummary {
  const values = new Map<string, string[]>();
  for (const scope of scopes) {
    if (scope.slice(0, PREFIX.length).toLowerCase() !== PREFIX) continue;
    const rest = scope.slice(PREFIX.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const category = rest.slice(0, slash).toLowerCase();
    const value = decode(rest.slice(slash + 1)).trim();
    if (!value) continue;
    values.set(category, [...(values.get(category) ?? []), value]);
  }
  const first = (c: string) => values.get(c)?.[0];
  return {
    name: values.get('name')?.join(' '),
    hardware: first('hardware'),
    location: values.get('location')?.join(', '),
    profiles: [...new Set(values.get('profile') ?? [])],
    macAddress: first('macaddress'),
    serialNumber: first('serialnumber'),
  };
}
