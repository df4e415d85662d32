import type { AnalyticsEvent } from '../../src/sdk/index.js';

/** Prefix of the CloudEvents `type` attribute: `dev.vigie.analytics.intrusion`. */
export const CLOUDEVENT_TYPE_PREFIX = 'dev.vigie.analytics.';

/**
 * The event in CloudEvents 1.0 JSON structured mode (application/cloudevents+json): `id` is the event id, `subject`
 * the camera, `time` the frame capture time, `sequence` (Sequence extension) the per-camera sequence number, and
 * `data` the whole AnalyticsEvent (plus `snapshot`, base64 JPEG, when asked for).
 */
/** The CloudEvent as JSON text; `eventJson` (the event already serialised) is embedded as `data` when given. */
export function cloudEventJson(event: AnalyticsEvent, source: string, snapshot: Uint8Array | undefined, eventJson: string | undefined): string {
  if (snapshot || eventJson === undefined) return JSON.stringify(toCloudEvent(event, source, snapshot));
  return `${JSON.stringify(envelopeOf(event, source)).slice(0, -1)},"data":${eventJson}}`;
}

/** The CloudEvent's attributes, without `data`. */
function envelopeOf(event: AnalyticsEvent, source: string) {
  return {
    specversion: '1.0',
    id: event.id,
    source,
    type: `${CLOUDEVENT_TYPE_PREFIX}${event.type}`,
    subject: event.cameraId,
    time: event.frameTime,
    datacontenttype: 'application/json',
    sequence: String(event.sequence),
    incidentid: event.incidentId,
  };
}

export function toCloudEvent(event: AnalyticsEvent, source: string, snapshot: Uint8Array | undefined): Record<string, unknown> {
  return {
    ...envelopeOf(event, source),
    data: snapshot ? { ...event, snapshot: { contentType: 'image/jpeg', base64: Buffer.from(snapshot).toString('base64') } } : event,
  };
}
