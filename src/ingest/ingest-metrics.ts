import { Counter } from 'prom-client';
import type { Registry } from '../metrics/index.js';

export interface IngestCounters {
  decoded: Counter<'camera'>;
  skippedByMotion: Counter<'camera'>;
  restarts: Counter<'camera'>;
}

function counter(registry: Registry, name: string, help: string): Counter<'camera'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'camera'>;
  return new Counter({ name, help, labelNames: ['camera'], registers: [registry] });
}

/** The ingest counters in `registry` (created once, shared by every camera of that registry; label `camera`). */
export function ingestCounters(registry: Registry): IngestCounters {
  return {
    decoded: counter(registry, 'vigie_frames_decoded_total', 'frames decoded and sampled by ingest (before motion gating)'),
    skippedByMotion: counter(registry, 'vigie_frames_skipped_motion_total', 'sampled frames not sent to inference because nothing moved'),
    restarts: counter(registry, 'vigie_ffmpeg_restarts_total', 'ffmpeg restarts by the ingest watchdog (exit, stall or failure to connect)'),
  };
}
