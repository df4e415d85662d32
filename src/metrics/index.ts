export { createMetricsRegistry, type Registry } from './registry.js';
export { processCpuSeconds, threadCpuSeconds, callerThreadId } from './cpu-time.js';
