import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per running Vigie, created by the composition root and handed to the stages that record
 * metrics (no module-level global, so tests and several instances in one process do not collide).
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'vigie' });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return registry;
}

export type { Registry } from 'prom-client';
