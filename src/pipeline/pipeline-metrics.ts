import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Finds a metric another part of this process registered already (two pipelines on one registry in tests). */
function existing<T>(registry: Registry | undefined, name: string): T | undefined {
  return registry?.getSingleMetric(name) as T | undefined;
}

/** The pipeline's own metrics (ingest and inference record theirs). */
export class PipelineMetrics {
  readonly dropped: Counter<'camera' | 'reason'>;
  readonly inferred: Counter<'camera'>;
  readonly latency: Histogram;
  readonly inFlight: Gauge<'camera'>;

  constructor(registry: Registry | undefined, queueDepth: () => Promise<number>) {
    const registers = registry ? [registry] : [];
    this.dropped =
      existing(registry, 'vigie_frames_dropped_total') ??
      new Counter({
        name: 'vigie_frames_dropped_total',
        help: 'frames that passed motion gating but were not analysed: backpressure (latest frame wins), queue-unavailable (Redis away), expired (no result in time), failed (detector error)',
        labelNames: ['camera', 'reason'],
        registers,
      });
    this.inferred =
      existing(registry, 'vigie_frames_inferred_total') ??
      new Counter({ name: 'vigie_frames_inferred_total', help: 'frames analysed by the detector, results back at the owning process', labelNames: ['camera'], registers });
    this.latency =
      existing(registry, 'vigie_detection_latency_seconds') ??
      new Histogram({
        name: 'vigie_detection_latency_seconds',
        help: 'capture (frame out of the decoder) to detections back in the owning process',
        buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 2, 5],
        registers,
      });
    this.inFlight =
      existing(registry, 'vigie_frames_in_flight') ??
      new Gauge({ name: 'vigie_frames_in_flight', help: 'frames per camera queued or under inference', labelNames: ['camera'], registers });
    if (registry && !existing(registry, 'vigie_queue_depth')) {
      new Gauge({
        name: 'vigie_queue_depth',
        help: 'frame jobs waiting or under inference in the frame queue (every owner together in distributed mode)',
        registers,
        async collect() {
          try {
            this.set(await queueDepth());
          } catch {
            this.set(Number.NaN); // Redis away: unknown
          }
        },
      });
    }
  }
}

/** The worker side's metrics. */
export class WorkerMetrics {
  readonly inference: Histogram<'outcome'>;

  constructor(registry: Registry | undefined) {
    this.inference =
      existing(registry, 'vigie_worker_inference_seconds') ??
      new Histogram({
        name: 'vigie_worker_inference_seconds',
        help: 'time a frame spends in the detector in this worker (queue wait excluded)',
        labelNames: ['outcome'],
        buckets: [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1],
        registers: registry ? [registry] : [],
      });
  }
}
