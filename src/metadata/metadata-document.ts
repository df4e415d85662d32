import { EVENT_TYPE_INFO, VIGIE_TOPIC_NAMESPACE, type AnalyticsEvent, type EventType, type TrackedObject } from '../sdk/index.js';
import { NS, qname, serializeXml, xmlNamespace, type XmlElementNode } from '../soap/index.js';
import type { MetadataFrame, MetadataTopicPattern } from './metadata-frame.js';
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
  /** Only the events under these topics (SetMetadataConfiguration's Events/Filter); none = every event. */
  eventTopics?: readonly MetadataTopicPattern[];
  /** Token of the camera's video source, named in each event's Source. @defaultValue the camera id */
  videoSourceToken?: string;
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
 * How each event type is told in ONVIF, as the device's event service tells it (GetEventProperties describes the
 * same items): property events hold a state while the incident lasts, `Changed` to true at its start and to false
 * at its end (Milestone acts on Changed only; updates are not state changes and are not sent); a line crossing is
 * a plain event, sent once at its start. Data: the state, `ObjectId` and `ClassTypes` (tt:StringList).
 */
const STATE_ITEM: Partial<Record<EventType, string>> = { intrusion: 'IsInside', loitering: 'IsLoitering' };

function simpleItem(name: string, value: string): XmlElementNode {
  return tt('SimpleItem', { Name: name, Value: value });
}

const TOPIC_NAMESPACES: Readonly<Record<string, string>> = { tns1: TNS1.uri, vigie: VIGIE.uri };

/** True when the event type's topic is selected by the patterns; none (undefined or empty) select every topic. */
export function topicSelected(type: EventType, patterns: readonly MetadataTopicPattern[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  const expression = EVENT_TYPE_INFO[type].onvifTopic;
  const colon = expression.indexOf(':');
  const uri = TOPIC_NAMESPACES[expression.slice(0, colon)];
  const path = expression.slice(colon + 1).split('/');
  return patterns.some(
    (p) => p.uri === uri && (p.subtree ? p.path.length <= path.length : p.path.length === path.length) && p.path.every((step, i) => step === path[i]),
  );
}

/** One rule event as a `wsnt:NotificationMessage` (no SubscriptionReference in the RTP form); undefined when not sent. */
export function eventNotification(event: AnalyticsEvent, tokens: { videoSource: string; videoSourceConfiguration: string; analytics: string }): XmlElementNode | undefined {
  if (!(event.type in EVENT_TYPE_INFO)) return undefined;
  const property = event.type !== 'line_crossing';
  if (property ? event.state === 'update' : event.state !== 'start') return undefined;
  const data: XmlElementNode[] = [];
  if (property) data.push(simpleItem(STATE_ITEM[event.type] ?? 'State', String(event.state === 'start')));
  data.push(simpleItem('ObjectId', event.objects.map((o) => String(Math.trunc(o.trackId))).join(' ')));
  data.push(simpleItem('ClassTypes', [...new Set(event.objects.map((o) => onvifClassType(o.label).replace(/\s+/g, '_')))].join(' ')));
  const time = new Date(Date.parse(event.frameTime)).toISOString();
  return wsnt('NotificationMessage', [
    wsnt('Topic', { Dialect: CONCRETE_SET }, EVENT_TYPE_INFO[event.type].onvifTopic),
    wsnt('Message', [
      tt('Message', { UtcTime: time, PropertyOperation: property ? 'Changed' : undefined }, [
        tt('Source', [
          simpleItem('VideoSource', tokens.videoSource),
          simpleItem('VideoSourceConfigurationToken', tokens.videoSourceConfiguration),
          simpleItem('VideoAnalyticsConfigurationToken', tokens.analytics),
          simpleItem('Rule', event.rule.name),
        ]),
        tt('Data', data),
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
      videoSource: options.videoSourceToken ?? frame.cameraId,
      videoSourceConfiguration: options.videoSourceConfigurationToken ?? `vsc_${frame.cameraId}`,
      analytics: options.analyticsConfigurationToken ?? `vac_${frame.cameraId}`,
    };
    const notifications = frame.events
      .filter((e) => topicSelected(e.type, options.eventTopics))
      .map((e) => eventNotification(e, tokens))
      .filter((n): n is XmlElementNode => n !== undefined);
    if (notifications.length > 0) children.push(tt('Event', notifications));
  }
  const usesTopics = children.some((c) => c.name.local === 'Event');
  return serializeXml(tt('MetadataStream', children), { declare: usesTopics ? [wsnt.qname('x'), TNS1, VIGIE] : [] });
}
