import type { FrameDetections } from '../sdk/index.js';
import type { Pipeline } from './pipeline.js';

interface Window {
  frames: number;
  latencies: number[];
  last?: FrameDetections;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** "3 person, 1 car" for the objects of one frame scoring at least `minScore`, most frequent class first. */
export function objectsPerClass(d: FrameDetections | undefined, minScore = 0): string {
  const counts = new Map<string, number>();
  for (const det of d?.detections ?? []) if (det.score >= minScore) counts.set(det.label, (counts.get(det.label) ?? 0) + 1);
  if (counts.size === 0) return 'nothing';
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, n]) => `${n} ${label}`)
    .join(', ');
}

/**
 * One line per camera and per interval (the demo's live view): what the last analysed frame holds (objects per
 * class, those scoring at least `minScore`: the detector also passes the low-confidence boxes the tracker's second
 * pass uses), frames analysed per second, median capture-to-detection latency, frames dropped so far.
 */
export function startLiveSummary(pipeline: Pipeline, write: (line: string) => void, intervalMs = 1000, minScore = 0): { stop(): void } {
  const windows = new Map<string, Window>();
  const off = pipeline.onDetections((d) => {
    const w = windows.get(d.cameraId) ?? { frames: 0, latencies: [] };
    w.frames++;
    w.latencies.push(Date.now() - d.captureTime);
    w.last = d;
    windows.set(d.cameraId, w);
  });
  let since = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const seconds = (now - since) / 1000;
    since = now;
    for (const camera of pipeline.stats().cameras) {
      const w = windows.get(camera.cameraId) ?? { frames: 0, latencies: [] };
      const latency = median(w.latencies);
      const dropped = Object.values(camera.dropped).reduce((a, b) => a + b, 0);
      write(
        `${camera.cameraId}: ${objectsPerClass(w.last, minScore)} | ${(w.frames / seconds).toFixed(1)} fps analysed | latency ${latency === undefined ? '-' : `${Math.round(latency)} ms`} | ${camera.ingest.decoded} decoded, ${camera.ingest.skippedByMotion} without motion, ${dropped} dropped${camera.ingest.state === 'running' ? '' : ` | ingest ${camera.ingest.state}${camera.ingest.lastError ? `: ${camera.ingest.lastError}` : ''}`}`,
      );
      windows.set(camera.cameraId, { frames: 0, latencies: [], ...(w.last ? { last: w.last } : {}) });
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      off();
    },
  };
}
