import { createHash } from 'node:crypto';

/**
 * A camera id for a discovered device: its name (or hardware) as a slug, then 6 hex digits of its
 * EndpointReference, e.g. `lobby-dome-3f9a1c`. Matches the configuration's id rule and is kept in the store, so it
 * stays the same across restarts and address changes.
 */
export function discoveredCameraId(label: string | undefined, endpoint: string, taken: ReadonlySet<string>): string {
  const hash = createHash('sha256').update(endpoint).digest('hex');
  const slug =
    (label ?? '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'camera';
  for (let n = 6; n <= 16; n += 2) {
    const id = `${slug}-${hash.slice(0, n)}`;
    if (!taken.has(id)) return id;
  }
  return `${slug}-${hash.slice(0, 24)}`;
}
