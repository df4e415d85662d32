import { EVENT_TYPES, EVENT_TYPE_INFO, type EventType } from '../sdk/index.js';
import { element, qnameAttr, type QName, type XmlContent, type XmlElementNode } from '../soap/index.js';
import { tns1, tt, vigieTopics, wstop, xs } from './namespaces.js';
import { topicOf, type Topic } from './topic-filter.js';

/** How one Vigie event type is published on the ONVIF event service. */
export interface EventTopic {
  /** The Vigie event type published under this topic; undefined for the device's own topics (tns1:Media/...). */
  type: EventType | undefined;
  /** `tns1:RuleEngine/FieldDetector/ObjectsInside` (from the SDK's EVENT_TYPE_INFO). */
  expression: string;
  topic: Topic;
  /** Property events carry a boolean state (Initialized, then Changed on each change); the others are one-off. */
  isProperty: boolean;
  /** Data item holding the state of a property event (Milestone matches `IsInside`, `IsLoitering`). */
  stateItem: string | undefined;
  source: ReadonlyArray<[string, QName]>;
  data: ReadonlyArray<[string, QName]>;
}

const STATE_ITEM: Partial<Record<EventType, string>> = { intrusion: 'IsInside', loitering: 'IsLoitering' };

/** Source items of every Vigie event (Milestone matches `VideoSourceConfigurationToken` and `Rule` by name). */
export const SOURCE_ITEMS: ReadonlyArray<[string, QName]> = [
  ['VideoSource', tt.qname('ReferenceToken')],
  ['VideoSourceConfigurationToken', tt.qname('ReferenceToken')],
  ['VideoAnalyticsConfigurationToken', tt.qname('ReferenceToken')],
  ['Rule', xs.qname('string')],
];

/** Every analytics topic Vigie emits, one per event type. */
export const EVENT_TOPICS: readonly EventTopic[] = EVENT_TYPES.map((type) => {
  const expression = EVENT_TYPE_INFO[type].onvifTopic;
  const isProperty = type !== 'line_crossing';
  const stateItem = isProperty ? (STATE_ITEM[type] ?? 'State') : undefined;
  const data: Array<[string, QName]> = [...(stateItem ? [[stateItem, xs.qname('boolean')] as [string, QName]] : []), ['ObjectId', tt.qname('StringList')], ['ClassTypes', tt.qname('StringList')]];
  return { type, expression, topic: topicOf(expression), isProperty, stateItem, source: SOURCE_ITEMS, data };
});

/** Media2 configuration events (Profile M §7.7-7.9 when the Event service exists): a profile or a configuration changed. */
export const PROFILE_CHANGED: EventTopic = {
  type: undefined,
  expression: 'tns1:Media/ProfileChanged',
  topic: topicOf('tns1:Media/ProfileChanged'),
  isProperty: true,
  stateItem: undefined,
  source: [['Token', tt.qname('ReferenceToken')]],
  data: [],
};
export const CONFIGURATION_CHANGED: EventTopic = {
  type: undefined,
  expression: 'tns1:Media/ConfigurationChanged',
  topic: topicOf('tns1:Media/ConfigurationChanged'),
  isProperty: true,
  stateItem: undefined,
  source: [
    ['Token', tt.qname('ReferenceToken')],
    ['Type', xs.qname('string')],
  ],
  data: [],
};

/** Every topic of GetEventProperties. */
export const ALL_TOPICS: readonly EventTopic[] = [...EVENT_TOPICS, PROFILE_CHANGED, CONFIGURATION_CHANGED];

export function eventTopic(type: EventType): EventTopic {
  return EVENT_TOPICS.find((t) => t.type === type)!;
}

function descriptions(items: ReadonlyArray<[string, QName]>): XmlContent {
  return items.map(([name, type]) => tt('SimpleItemDescription', [{ kind: 'attribute', name: 'Name', value: name }, qnameAttr('Type', type)]));
}

/** `tt:MessageDescription` of a topic (GetEventProperties, GetSupportedRules). */
export function messageDescription(t: EventTopic, withParentTopic = false): XmlContent {
  return [
    tt('Source', descriptions(t.source)),
    t.data.length ? tt('Data', descriptions(t.data)) : null,
    withParentTopic ? tt('ParentTopic', [{ kind: 'attribute', name: 'xmlns:tns1', value: tns1.uri }, { kind: 'attribute', name: 'xmlns:vigie', value: vigieTopics.uri }, t.expression]) : null,
  ];
}

/** An unqualified child topic element (the soap builder's `unqualified` checks an empty prefix as a name). */
function childTopic(local: string, content: XmlContent): XmlElementNode {
  if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(local)) throw new Error(`invalid topic name "${local}"`);
  return element({ uri: '', prefix: '', local }, {}, content);
}

interface TopicNode {
  children: Map<string, TopicNode>;
  leaf?: EventTopic;
}

/**
 * The `wstop:TopicSet` of GetEventProperties: roots qualified (`tns1:RuleEngine`, `vigie:RuleEngine`), children
 * unqualified, each leaf marked `wstop:topic="true"` with its message description.
 */
export function topicSet(): XmlContent {
  const roots = new Map<string, TopicNode>();
  for (const t of ALL_TOPICS) {
    const prefix = t.expression.slice(0, t.expression.indexOf(':'));
    const [first, ...rest] = t.topic.path;
    const rootKey = `${prefix}:${first!}`;
    let node = roots.get(rootKey) ?? { children: new Map<string, TopicNode>() };
    roots.set(rootKey, node);
    for (const step of rest) {
      const next = node.children.get(step) ?? { children: new Map<string, TopicNode>() };
      node.children.set(step, next);
      node = next;
    }
    node.leaf = t;
  }
  const body = (node: TopicNode): XmlContent => [
    node.leaf ? [wstop.attr('topic', true), tt('MessageDescription', { IsProperty: node.leaf.isProperty }, messageDescription(node.leaf))] : null,
    [...node.children].map(([name, child]) => childTopic(name, body(child))),
  ];
  return wstop(
    'TopicSet',
    [...roots].map(([key, node]) => {
      const [prefix, local] = key.split(':') as [string, string];
      return (prefix === 'tns1' ? tns1 : vigieTopics)(local, body(node));
    }),
  );
}
