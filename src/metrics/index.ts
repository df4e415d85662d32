export { createMetricsRegistry, type Registry } from './registry.js';
