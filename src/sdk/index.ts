/**
 * Vigie's plugin contract: the only module a plugin may import. It depends on nothing else in Vigie (zod is the
 * one npm package it uses, re-exported as `z` so plugins validate their configuration with the host's copy).
 */
export { EVENT_TYPES, EVENT_TYPE_INFO, FR_VSA_EVENT_TYPES, VIGIE_TOPIC_NAMESPACE, type EventType, type EventTypeInfo } from './event-types.js';
export type { Detection, NormalizedBox } from './detection.js';
export type { FrameDetections } from './frame-detections.js';
export type { TrackedObject } from './tracked-object.js';
export type { AnalyticsEvent, EventObject, EventProvenance, EventState } from './analytics-event.js';
export type { EventSink, PublishReceipt } from './event-sink.js';
export type { VmsSink, DeliveryInfo, DeliveryReceipt, PluginHealth } from './vms-sink.js';
export { definePlugin, type VmsPlugin } from './vms-plugin.js';
export { SDK_VERSION, SINK_CAPABILITIES, type PluginManifest, type SinkCapability } from './plugin-manifest.js';
export type { PluginContext, PluginLogger, SnapshotSource } from './plugin-context.js';
export type { HttpClient, HttpRequest, HttpResponse, HttpAuth, HttpTlsOptions } from './http-client.js';
export { throwForStatus, bodyExcerpt, type StatusContext } from './http-status.js';
export { statesField } from './states-field.js';
export { tlsField, httpTls, type TlsSettings } from './tls-field.js';
export { renderTemplate, templateField, unknownPlaceholders, summariseObjects, TEMPLATE_PLACEHOLDERS } from './template.js';
export {
  SinkError,
  isSinkError,
  SinkUnavailableError,
  SinkTimeoutError,
  SinkAuthError,
  SinkConfigError,
  SinkRejectedError,
  type SinkErrorDisposition,
  type SinkErrorOptions,
} from './errors/index.js';
export { z } from 'zod';
