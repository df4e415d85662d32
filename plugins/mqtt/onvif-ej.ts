import { EVENT_TYPE_INFO, type AnalyticsEvent, type EventState } from '../../src/sdk/index.js';

/**
 * The ONVIF event broker layout (ONVIF Core, "Event broker"; Profile M §8.5): events go to
 * `<TopicPrefix>/onvif-ej/<topic>/&<source values>` with a JSON payload `{UtcTime, Source, Data}` (plus
 * `PropertyOperation` for property events). The topic is the ONVIF topic without its `tns1:` prefix; Vigie's own
 * topics keep their `vigie:` prefix so they cannot be mistaken for ONVIF's. Source values are the camera (as
 * VideoSource) and the rule name.
 */
export interface OnvifEjMessage {
  topic: string;
  payload: Record<string, unknown>;
  /** Property events (a state that starts, changes and ends) are retained, so a new subscriber sees the current state. */
  property: boolean;
}

/** Topics that are events (a crossing happens once) rather than properties (a state with a start and an end). */
const NOT_PROPERTIES = new Set(['tns1:RuleEngine/LineDetector/Crossed']);

const OPERATION: Record<EventState, string> = { start: 'Initialized', update: 'Changed', end: 'Deleted' };

/** MQTT topic levels cannot hold `/`, `+`, `#` or NUL: they become `_`. */
export function topicLevel(value: string): string {
  return value.replace(/[/+#]/g, '_').replaceAll(String.fromCharCode(0), '_') || '_';
}

export function onvifTopicPath(event: AnalyticsEvent): string {
  const topic = EVENT_TYPE_INFO[event.type].onvifTopic;
  return topic.startsWith('tns1:') ? topic.slice('tns1:'.length) : topic;
}

export function onvifEjMessage(prefix: string, event: AnalyticsEvent): OnvifEjMessage {
  const onvifTopic = EVENT_TYPE_INFO[event.type].onvifTopic;
  const property = !NOT_PROPERTIES.has(onvifTopic);
  const topic = `${prefix}/onvif-ej/${onvifTopicPath(event)}/&${topicLevel(event.cameraId)}/${topicLevel(event.rule.name)}`;
  const active = event.state !== 'end';
  const data: Record<string, string> = {};
  if (onvifTopic === 'tns1:RuleEngine/FieldDetector/ObjectsInside') data.IsInside = String(active);
  else if (property) data.State = String(active);
  if (event.objects.length > 0) {
    // tt:StringList: space-separated
    data.ObjectId = event.objects.map((o) => String(o.trackId)).join(' ');
    data.ClassTypes = [...new Set(event.objects.map((o) => o.label))].join(' ');
  }
  for (const [name, value] of Object.entries(event.counts)) data[`Count_${name}`] = String(value);
  if (onvifTopic === 'tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering' && event.state === 'start') data.Since = event.frameTime;
  const payload: Record<string, unknown> = {
    UtcTime: event.frameTime,
    ...(property ? { PropertyOperation: OPERATION[event.state] } : {}),
    Source: { VideoSource: event.cameraId, Rule: event.rule.name },
    Data: data,
  };
  return { topic, payload, property };
}
