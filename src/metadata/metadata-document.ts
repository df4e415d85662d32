import { EVENT_TYPE_INFO, VIGIE_TOPIC_NAMESPACE, type AnalyticsEvent, type EventType, type TrackedObject } from '../sdk/index.js';
import { NS, qname, serializeXml, xmlNamespace, type XmlElementNode } from '../soap/index.js';
import type { MetadataFrame } from './metadata-frame.js';
import { toOnvifBox } from './onvif-coordinates.js';

const tt = xmlNamespace('tt', NS.tt);
const wsnt = xmlNamespace('wsnt', 'http://docs.oasis-open.org/wsn/b-2');
const TNS1 = qname('http://www.onvif.org/ver10/topics', 'tns1', 'x');
const VIGIE = qname(VIGIE_TOPIC_NAMESPACE, 'vigie', 'x');
const CONCRETE_SET = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';

export interface MetadataDocumentOptions {
  /** Include the scene description (`tt:VideoAnalytics`). @defaultValue true */
  analytics?: boolean;
  /** Include the frame's rule events (`tt:Event`). @defaultValue true */
  events?: boolean;
  /** Token of the camera's video source configuration, named in each event's Source. @defaultValue `vsc_<cameraId>` */
  videoSourceConfigurationToken?: string;
  /** Token of its video analytics configuration, named in each event's Source. @defaultValue `vac_<cameraId>` */
  analyticsConfigurationToken?: string;
}

/** COCO labels to ONVIF `tt:ObjectType` (the other labels are sent as they are: the type is an open string). */
const ONVIF_CLASS: Readonly<Record<string, string>> = {
  person: 'Human',
  bicycle: 'Bicycle',
  car: 'Vehicle',
  motorcycle: 'Bike',
  bus: 'Vehicle',
  truck: 'Vehicle',
  train: 'Vehicle',
  bird: 'Animal',
  cat: 'Animal',
  dog: 'Animal',
  horse: 'Animal',
  sheep: 'Animal',
  cow: 'Animal',
  elephant: 'Animal',
  bear: 'Animal',
  zebra: 'Animal',
  giraffe: 'Animal',
  fire: 'Fire',
  smoke: 'Smoke',
};

/** The ONVIF class type of a detector label. */
export function onvifClassType(label: string): string {
  return ONVIF_CLASS[label.toLowerCase()] ?? label;
}

/** ONVIF `xs:float` text: at most 5 decimals, no exponent. */
function num(v: number): string {
  return String(Number(v.toFixed(5)));
}

function objectElement(track: TrackedObject): XmlElementNode {
  const b = toOnvifBox(track.box);
  return tt('Object', { ObjectId: Math.trunc(track.trackId) }, [
    tt('Appearance', [
      tt('Shape', [
        tt('BoundingBox', { left: num(b.left), top: num(b.top), right: num(b.right), bottom: num(b.bottom) }),
        tt('CenterOfGravity', { x: num(b.center.x), y: num(b.center.y) }),
      ]),
      tt('Class', [tt('Type', { Likelihood: num(Math.min(1, Math.max(0, track.score))) }, onvifClassType(track.label))]),
    ]),
  ]);
}

/**
 * How each event type is told in ONVIF: property events (a state that holds while the incident lasts: Changed to
 * true on start and updates, Changed to false at the end, as Milestone expects) with the state's Data item, or
 * plain events (a line crossing happens once: sent on start only, without PropertyOperation).
 */
const EVENT_DATA: Readonly<Record<EventType, { property: boolean; stateItem?: string }>> = {
  intrusion: { property: true, stateItem: 'IsInside' },
  loitering: { property: true, stateItem: 'IsLoitering' },
  line_crossing: { property: false },
  abandoned_object: { property: true, stateItem: 'State' },
  weapon: { property: true, stateItem: 'State' },
  wrong_way: { property: true, stateItem: 'State' },
  person_down: { property: true, stateItem: 'State' },
  crowd_movement: { property: true, stateItem: 'State' },
  crowd_density: { property: true, stateItem: 'State' },
  fire: { property: true, stateItem: 'State' },
};

function simpleItem(name: string, value: string): XmlElementNode {
  return tt('SimpleItem', { Name: name, Value: value });
}

/** One rule event as a `wsnt:NotificationMessage` (no SubscriptionReference in the RTP form); undefined when not sent. */
export function eventNotification(event: AnalyticsEvent, tokens: { videoSource: string; analytics: string }): XmlElementNode | undefined {
  const kind = EVENT_DATA[event.type];
  if (!kind) return undefined;
  if (!kind.property && event.state !== 'start') return undefined;
  const objectIds = event.objects.map((o) => String(Math.trunc(o.trackId)));
  const data: XmlElementNode[] = [];
  if (kind.stateItem) data.push(simpleItem(kind.stateItem, String(event.state !== 'end')));
  if (objectIds.length > 0) data.push(simpleItem('ObjectId', objectIds.join(' ')));
  for (const [name, value] of Object.entries(event.counts)) {
    if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && Number.isFinite(value)) data.push(simpleItem(`Count_${name}`, String(value)));
  }
  const time = new Date(Date.parse(event.frameTime)).toISOString();
  return wsnt('NotificationMessage', [
    wsnt('Topic', { Dialect: CONCRETE_SET }, EVENT_TYPE_INFO[event.type].onvifTopic),
    wsnt('Message', [
      tt('Message', { UtcTime: time, PropertyOperation: kind.property ? 'Changed' : undefined }, [
        tt('Source', [
          simpleItem('VideoSourceConfigurationToken', tokens.videoSource),
          simpleItem('VideoAnalyticsConfigurationToken', tokens.analytics),
          simpleItem('Rule', event.rule.name),
        ]),
        data.length > 0 ? tt('Data', data) : undefined,
      ]),
    ]),
  ]);
}

/**
 * One `tt:MetadataStream` document for one analysed frame: `tt:VideoAnalytics/tt:Frame` stamped with the frame's
 * capture time, one `tt:Object` per track (ObjectId = track id, BoundingBox and CenterOfGravity in ONVIF's -1..1
 * coordinates with y up, the class with its likelihood), then the frame's rule events in `tt:Event` when asked.
 * Valid against the official `metadatastream.xsd` / `onvif.xsd`.
 */
export function buildMetadataDocument(frame: MetadataFrame, options: MetadataDocumentOptions = {}): string {
  const children: XmlElementNode[] = [];
  if (options.analytics ?? true) {
    const utc = new Date(frame.captureTime).toISOString();
    children.push(tt('VideoAnalytics', [tt('Frame', { UtcTime: utc }, frame.tracks.map(objectElement))]));
  }
  if ((options.events ?? true) && frame.events.length > 0) {
    const tokens = {
      videoSource: options.videoSourceConfigurationToken ?? `vsc_${frame.cameraId}`,
      analytics: options.analyticsConfigurationToken ?? `vac_${frame.cameraId}`,
    };
    const notifications = frame.events.map((e) => eventNotification(e, tokens)).filter((n): n is XmlElementNode => n !== undefined);
    if (notifications.length > 0) children.push(tt('Event', notifications));
  }
  const usesTopics = children.some((c) => c.name.local === 'Event');
  return serializeXml(tt('MetadataStream', children), { declare: usesTopics ? [wsnt.qname('x'), TNS1, VIGIE] : [] });
}
