import type { CameraConfig, VigieConfig } from '../config/index.js';

/** The ingest settings of one camera: the global `ingest` section with the camera's overrides applied. */
export type IngestSettings = VigieConfig['ingest'];

/** What a camera may override (`cameras[].ingest` in vigie.yaml). */
export type CameraIngestOverrides = NonNullable<CameraConfig['ingest']>;

/** The global ingest settings merged with one camera's overrides (unset override fields keep the global value). */
export function resolveIngestSettings(global: IngestSettings, overrides?: CameraIngestOverrides): IngestSettings {
  if (!overrides) return { ...global, motion: { ...global.motion }, watchdog: { ...global.watchdog } };
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { motion, ...rest } = overrides;
  return {
    ...global,
    ...defined(rest),
    motion: { ...global.motion, ...defined(motion) },
    watchdog: { ...global.watchdog },
  };
}
