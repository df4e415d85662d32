import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from '../metrics/index.js';

const BUCKETS = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];

/** Prometheus metrics of inference, registered once per registry and shared by the detectors using it. */
export class InferenceMetrics {
  readonly latency: Histogram<'model'>;
  readonly run: Histogram<'model' | 'provider'>;
  readonly frames: Counter<'model' | 'outcome'>;
  private readonly queues = new Set<{ model: string; queued: () => number }>();

  private constructor(registry: Registry) {
    this.latency = new Histogram({
      name: 'vigie_inference_latency_seconds',
      help: 'time from a frame handed to the detector to its detections (queueing, pre-processing, run, decoding)',
      labelNames: ['model'],
      buckets: BUCKETS,
      registers: [registry],
    });
    this.run = new Histogram({
      name: 'vigie_inference_run_seconds',
      help: 'duration of one onnxruntime session run (one frame or one batch) in a worker thread',
      labelNames: ['model', 'provider'],
      buckets: BUCKETS,
      registers: [registry],
    });
    this.frames = new Counter({
      name: 'vigie_inference_frames_total',
      help: 'frames analysed by the detector, by outcome (ok, error)',
      labelNames: ['model', 'outcome'],
      registers: [registry],
    });
    const queues = this.queues;
    new Gauge({
      name: 'vigie_inference_queued_frames',
      help: 'frames waiting for a free inference worker',
      labelNames: ['model'],
      registers: [registry],
      collect() {
        this.reset();
        const totals = new Map<string, number>();
        for (const q of queues) totals.set(q.model, (totals.get(q.model) ?? 0) + q.queued());
        for (const [model, n] of totals) this.set({ model }, n);
      },
    });
  }

  private static readonly byRegistry = new WeakMap<Registry, InferenceMetrics>();

  static for(registry: Registry): InferenceMetrics {
    let metrics = InferenceMetrics.byRegistry.get(registry);
    if (!metrics) InferenceMetrics.byRegistry.set(registry, (metrics = new InferenceMetrics(registry)));
    return metrics;
  }

  /** Reports a detector's queue in `vigie_inference_queued_frames`; returns the function that stops it. */
  watchQueue(model: string, queued: () => number): () => void {
    const entry = { model, queued };
    this.queues.add(entry);
    return () => this.queues.delete(entry);
  }
}
