// TEMPORARY SHIM (pipeline branch): the contract of src/ingest (notes/contracts.md §2) until the ingest branch is
// merged; replaced by the real module at the merge.
import type { VigieConfig } from '../config/index.js';
import type { Frame } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';

export interface IngestSource {
  cameraId: string;
  name: string;
  url: string;
  width?: number;
  height?: number;
}
export type IngestSettings = VigieConfig['ingest'];
export type CameraIngestOverrides = NonNullable<VigieConfig['cameras'][number]['ingest']>;
export interface IngestStats {
  decoded: number;
  skippedByMotion: number;
  restarts: number;
  state: 'starting' | 'running' | 'backoff' | 'stopped';
  lastError?: string;
}
export interface CameraIngestOptions {
  source: IngestSource;
  settings: IngestSettings;
  input: { width: number; height: number; pixelFormat: 'bgr24' | 'rgb24' };
  logger: Logger;
  metrics?: Registry;
  onFrame(frame: Frame): void;
}
export function resolveIngestSettings(global: IngestSettings, overrides: CameraIngestOverrides | undefined): IngestSettings {
  return { ...global, ...overrides, motion: { ...global.motion, ...overrides?.motion } } as IngestSettings;
}
export class CameraIngest {
  constructor(private readonly o: CameraIngestOptions) {}
  start(): void {
    throw new Error(`ingest not merged yet (${this.o.source.cameraId})`);
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  stats(): IngestStats {
    return { decoded: 0, skippedByMotion: 0, restarts: 0, state: 'stopped' };
  }
}
