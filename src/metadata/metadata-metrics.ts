import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../metrics/index.js';

/** Prometheus metrics of the metadata streams, registered on the application's registry. */
export class MetadataMetrics {
  readonly documents: Counter<'camera'>;

  constructor(registry: Registry, clients: () => Map<string, number>) {
    this.documents = new Counter({
      name: 'vigie_metadata_documents_total',
      help: 'tt:MetadataStream documents sent on a camera metadata track (analysed frames and keep-alives)',
      labelNames: ['camera'],
      registers: [registry],
    });
    new Gauge({
      name: 'vigie_metadata_clients',
      help: 'RTSP clients playing a camera metadata track now',
      labelNames: ['camera'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [camera, n] of clients()) this.set({ camera }, n);
      },
    });
  }
}
