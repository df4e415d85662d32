import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from '../metrics/index.js';

/** Prometheus metrics of delivery, registered on the application's registry. */
export class DeliveryMetrics {
  readonly outcomes: Counter<'output' | 'outcome'>;
  readonly duration: Histogram<'output'>;
  readonly published: Counter<'duplicate'>;

  constructor(registry: Registry, gauges: { pending: () => Map<string, number>; up: () => Map<string, number> }) {
    this.outcomes = new Counter({
      name: 'vigie_delivery_attempts_total',
      help: 'delivery attempts per output by outcome (delivered, retry, hold, reject, dead)',
      labelNames: ['output', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'vigie_delivery_duration_seconds',
      help: 'time from starting a delivery attempt to the VMS accepting it',
      labelNames: ['output'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.published = new Counter({ name: 'vigie_events_published_total', help: 'events handed to delivery', labelNames: ['duplicate'], registers: [registry] });
    new Gauge({
      name: 'vigie_outbox_pending',
      help: 'events waiting for delivery per output',
      labelNames: ['output'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [output, n] of gauges.pending()) this.set({ output }, n);
      },
    });
    new Gauge({
      name: 'vigie_output_up',
      help: '1 when the output is delivering (state ok or degraded), else 0',
      labelNames: ['output'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [output, n] of gauges.up()) this.set({ output }, n);
      },
    });
  }
}
