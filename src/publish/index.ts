/**
 * Delivery of events into VMSs (stage "publish"): the plugin host (loads plugins/*, validates each output with
 * its plugin's schema, isolates failures behind timeouts and a circuit breaker per output) and durable delivery
 * (event persisted before it is acknowledged, an outbox per output, retries with backoff, per-camera order,
 * dead letters).
 */
export { startDelivery, type DeliveryService, type DeliveryOptions, type CheckResult } from './delivery-service.js';
export { PluginRegistry } from './plugins/plugin-registry.js';
export { resolveOutputs, outputPluginProblems, outputTakes, type ResolvedOutput, type OutputResolution } from './resolve-outputs.js';
export type { SinkHealth, SinkState, SinkProblem } from './sink-health.js';
export { NodeHttpClient } from './http/node-http-client.js';
export { createPluginContext, type PluginContextOptions } from './plugin-context.js';
export { analyticsEventSchema } from './event-schema.js';
export { replayDeadLetters, discardDeadLetters } from './dead-letters.js';
export { backoffSeconds } from './backoff.js';
export { CircuitBreaker } from './circuit-breaker.js';
export { checkOutputs } from './check-outputs.js';
