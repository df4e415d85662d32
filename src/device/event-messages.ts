import type { RuleConfig } from '../config/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';
import type { XmlContent } from '../soap/index.js';
import type { DeviceModel, SourceView } from './device-model.js';
import { eventTopic, type EventTopic } from './event-topics.js';
import { CONCRETE_SET_DIALECT, topicContent, tt, wsa, wsnt } from './namespaces.js';

/** One ONVIF notification, before it is written for a pull point, a push subscriber or a metadata stream. */
export interface NotificationMessage {
  topic: EventTopic;
  utcTime: string;
  operation: 'Initialized' | 'Changed' | 'Deleted' | undefined;
  source: Array<[string, string]>;
  data: Array<[string, string]>;
}

/** ONVIF object classes (tt:ObjectType) for the detector's class names; other names pass through. */
const CLASS_TYPES: Record<string, string> = { person: 'Human', car: 'Vehicle', bus: 'Vehicle', truck: 'Vehicle', motorcycle: 'Vehicle', bicycle: 'Bicycle', fire: 'Fire', smoke: 'Smoke' };

function sourceItems(source: SourceView, rule: string): Array<[string, string]> {
  return [
    ['VideoSource', source.token],
    ['VideoSourceConfigurationToken', source.videoSourceConfigurationToken],
    ['VideoAnalyticsConfigurationToken', source.analyticsToken],
    ['Rule', rule],
  ];
}

function objectItems(event: AnalyticsEvent | undefined): Array<[string, string]> {
  const objects = event?.objects ?? [];
  const classes = [...new Set(objects.map((o) => CLASS_TYPES[o.label] ?? o.label.replace(/\s+/g, '_')))];
  return [
    ['ObjectId', objects.map((o) => String(o.trackId)).join(' ')],
    ['ClassTypes', classes.join(' ')],
  ];
}

/**
 * The notification for an event message, or undefined when ONVIF has nothing to say: an incident's start and end
 * are property changes (`Changed`, state true then false, since Milestone acts on Changed only), its updates are
 * not state changes; a line crossing (not a property) is sent once, at its start.
 */
export function notificationFor(event: AnalyticsEvent, source: SourceView): NotificationMessage | undefined {
  const topic = eventTopic(event.type);
  if (topic.isProperty) {
    if (event.state === 'update') return undefined;
    return {
      topic,
      utcTime: event.frameTime,
      operation: 'Changed',
      source: sourceItems(source, event.rule.name),
      data: [[topic.stateItem!, String(event.state === 'start')], ...objectItems(event)],
    };
  }
  if (event.state !== 'start') return undefined;
  return { topic, utcTime: event.frameTime, operation: undefined, source: sourceItems(source, event.rule.name), data: objectItems(event) };
}

/**
 * The current state of every property Vigie has, as `Initialized` messages: one per rule of a property type on each
 * video source, true with its objects when an incident is open, false otherwise (SetSynchronizationPoint, and what
 * a new subscriber gets first).
 */
export function currentState(model: DeviceModel, now: number): NotificationMessage[] {
  const active = model.backend.events.active();
  const out: NotificationMessage[] = [];
  for (const source of model.sources()) {
    let rules: RuleConfig[];
    try {
      rules = model.backend.rules.list(source.cameraId);
    } catch {
      rules = [];
    }
    for (const rule of rules) {
      const topic = eventTopic(rule.type);
      if (!topic.isProperty) continue;
      const open = active.filter((e) => e.cameraId === source.cameraId && e.rule.name === rule.name && e.state !== 'end').at(-1);
      out.push({
        topic,
        utcTime: new Date(now).toISOString(),
        operation: 'Initialized',
        source: sourceItems(source, rule.name),
        data: [[topic.stateItem!, String(open !== undefined)], ...objectItems(open)],
      });
    }
  }
  return out;
}

/** A Media2 change notification (ProfileChanged: the profile token; ConfigurationChanged: its token and type). */
export function mediaChange(topic: EventTopic, now: number, token: string, type?: string): NotificationMessage {
  return { topic, utcTime: new Date(now).toISOString(), operation: 'Changed', source: [['Token', token], ...(type ? [['Type', type] as [string, string]] : [])], data: [] };
}

function items(list: Array<[string, string]>): XmlContent {
  return list.map(([Name, Value]) => tt('SimpleItem', { Name, Value }));
}

/** `wsnt:NotificationMessage` for a pull point (no references) or a Notify (subscription and producer references). */
export function notificationElement(message: NotificationMessage, references?: { subscription: string; producer: string }): XmlContent {
  return wsnt('NotificationMessage', [
    references ? wsnt('SubscriptionReference', wsa('Address', references.subscription)) : null,
    wsnt('Topic', { Dialect: CONCRETE_SET_DIALECT }, topicContent(message.topic.expression)),
    references ? wsnt('ProducerReference', wsa('Address', references.producer)) : null,
    wsnt(
      'Message',
      tt('Message', { UtcTime: message.utcTime, PropertyOperation: message.operation }, [tt('Source', items(message.source)), message.data.length ? tt('Data', items(message.data)) : null]),
    ),
  ]);
}
