import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../assets/index.js';
import { VendorProfileError } from '../errors/index.js';
import { vendorProfileSchema, type VendorProfile } from './vendor-profile.js';

/** The vendor quirk profiles, and how to pick one for a device. */
export interface VendorProfiles {
  readonly all: readonly VendorProfile[];
  /** The profile applied when no vendor matches. */
  readonly fallback: VendorProfile;
  /** By the Manufacturer of GetDeviceInformation. */
  byManufacturer(manufacturer: string): VendorProfile;
  /** By WS-Discovery scopes (before authenticating); undefined when none matches. */
  byScopes(scopes: readonly string[]): VendorProfile | undefined;
  byId(id: string): VendorProfile | undefined;
}

export const DEFAULT_VENDOR = '_default';

/** The directory of the built-in profiles: onvif-profiles/ at the package root. */
export function vendorProfileDir(): string {
  return join(packageRoot(), 'onvif-profiles');
}

function safeRegExp(text: string, file: string): RegExp {
  try {
    return new RegExp(text, 'i');
  } catch (cause) {
    throw new VendorProfileError(file, `"${text}" is not a valid regular expression`, { cause });
  }
}

/** Reads and validates one profile file. */
export function readVendorProfile(file: string): VendorProfile {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new VendorProfileError(file, `cannot read it as YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const result = vendorProfileSchema.safeParse(data);
  if (!result.success) throw new VendorProfileError(file, result.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
  const expected = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (result.data.vendor !== expected) throw new VendorProfileError(file, `vendor is "${result.data.vendor}" but the file is named ${expected}.yaml`);
  for (const r of [...result.data.manufacturers, ...result.data.scopes]) safeRegExp(r, file);
  if (result.data.auth.timeCheckFault) safeRegExp(result.data.auth.timeCheckFault, file);
  return result.data;
}

/** Loads every `<vendor>.yaml` of a directory (default: the built-in profiles). Throws `VendorProfileError` on a bad file. */
export function loadVendorProfiles(dir: string = vendorProfileDir()): VendorProfiles {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const all = files.map((f) => readVendorProfile(join(dir, f)));
  const fallback = all.find((p) => p.vendor === DEFAULT_VENDOR);
  if (!fallback) throw new VendorProfileError(join(dir, `${DEFAULT_VENDOR}.yaml`), 'the default profile is missing');
  const matchers = all.map((p) => ({ profile: p, manufacturers: p.manufacturers.map((r) => new RegExp(r, 'i')), scopes: p.scopes.map((r) => new RegExp(r, 'i')) }));
  return {
    all,
    fallback,
    byManufacturer: (manufacturer) => matchers.find((m) => m.manufacturers.some((r) => r.test(manufacturer.trim())))?.profile ?? fallback,
    byScopes: (scopes) => matchers.find((m) => m.scopes.length > 0 && scopes.some((s) => m.scopes.some((r) => r.test(s))))?.profile,
    byId: (id) => all.find((p) => p.vendor === id),
  };
}
