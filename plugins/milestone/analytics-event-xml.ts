import { createHash } from 'node:crypto';
import { EVENT_TYPE_INFO, type AnalyticsEvent } from '../../src/sdk/index.js';
import { writeXml, type XmlNode } from './xml.js';

const GUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;

export interface AnalyticsEventOptions {
  /** EventHeader/Message: the Analytics Event name defined in the Management Client. */
  message: string;
  /** Camera GUID (Source/FQID/ObjectId) or name/address (Source/Name). */
  source: { fqid: string } | { name: string };
  customTag: string;
  priority: number | undefined;
  location: string;
  /** The evidence JPEG, attached as SnapshotList/Snapshot/Image. */
  snapshot: Uint8Array | undefined;
}

/**
 * An Analytics Event document (namespace urn:milestone-systems) for XProtect's Event Server, every element in the
 * order AnalyticsEvent.xsd's sequences require. Boxes go in ObjectList with normalised Top/Left/Bottom/Right
 * (0..1, y down, as Vigie's boxes already are), so Smart Client draws them on the alarm preview.
 */
export function analyticsEventXml(event: AnalyticsEvent, options: AnalyticsEventOptions): string {
  const info = EVENT_TYPE_INFO[event.type];
  const count = Object.values(event.counts).reduce((a, b) => a + b, 0);
  const header: XmlNode[] = [
    ['ID', asGuid(event.id)],
    ['Timestamp', event.frameTime],
    ['Class', 'Analytics'],
    ['Type', info.title],
    ['Version', '1.0'],
    ['Priority', options.priority],
    ['Name', event.rule.name],
    ['Message', options.message],
    ['CustomTag', options.customTag || undefined],
    ['Source', 'fqid' in options.source ? [['FQID', [['ObjectId', options.source.fqid]]]] : [['Name', options.source.name]]],
  ];
  const objects: XmlNode[] = event.objects.map((o) => [
    'Object',
    [
      ['ID', guidFrom(`${event.cameraId}/${event.incidentId}/${o.trackId}`)],
      ['Name', o.label],
      ['Type', o.label],
      ['Confidence', round(o.score)],
      ['AlarmTrigger', true],
      [
        'BoundingBox',
        [
          ['Top', round(clamp(o.box.y1))],
          ['Left', round(clamp(o.box.x1))],
          ['Bottom', round(clamp(o.box.y2))],
          ['Right', round(clamp(o.box.x2))],
        ],
      ],
    ],
  ]);
  const body: XmlNode[] = [
    ['EventHeader', header],
    ['Description', `${event.message} (${event.state})`],
    ['StartTime', event.state === 'start' ? event.frameTime : undefined],
    ['EndTime', event.state === 'end' ? event.frameTime : undefined],
    ['Location', options.location || event.cameraName || event.cameraId],
    ['Count', Object.keys(event.counts).length > 0 ? Math.max(0, Math.round(count)) : undefined],
    ['RuleList', [['Rule', [['Name', event.rule.name], ['Type', info.title]]]]],
    ['ObjectList', objects.length > 0 ? objects : undefined],
    ['SnapshotList', options.snapshot ? [['Snapshot', [['TimeOffset', 0], ['SizeInBytes', options.snapshot.byteLength], ['Image', Buffer.from(options.snapshot).toString('base64')]]]] : undefined],
    [
      'Vendor',
      [
        ['Name', 'Vigie'],
        [
          'CustomData',
          JSON.stringify({
            eventId: event.id,
            incidentId: event.incidentId,
            type: event.type,
            state: event.state,
            sequence: event.sequence,
            cameraId: event.cameraId,
            ...(event.frCode ? { frCode: event.frCode } : {}),
            counts: event.counts,
            model: event.provenance.model,
          }),
        ],
      ],
    ],
  ];
  return `<?xml version="1.0" encoding="utf-8"?>\n<AnalyticsEvent xmlns="urn:milestone-systems">${writeXml(body)}</AnalyticsEvent>`;
}

/** The event id when it is a GUID (Vigie's ids are UUIDs); otherwise a stable GUID derived from it. */
export function asGuid(id: string): string {
  return GUID.test(id) ? id : guidFrom(id);
}

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** A name-based GUID (SHA-1, RFC 4122 version 5 layout) so the same input always gives the same GUID. */
function guidFrom(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function clamp(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
