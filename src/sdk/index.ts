/**
 * Vigie's plugin contract: the only module a plugin may import. It depends on nothing else in Vigie.
 */
export { EVENT_TYPES, EVENT_TYPE_INFO, FR_VSA_EVENT_TYPES, VIGIE_TOPIC_NAMESPACE, type EventType, type EventTypeInfo } from './event-types.js';
export type { Detection, NormalizedBox } from './detection.js';
export type { FrameDetections } from './frame-detections.js';
export type { TrackedObject } from './tracked-object.js';
export type { AnalyticsEvent, EventObject, EventProvenance, EventState } from './analytics-event.js';
