import { NS, xmlNamespace, type XmlAttributeNode, type XmlContent } from '../soap/index.js';
import { VIGIE_TOPIC_NAMESPACE } from '../sdk/index.js';

/** Namespaces of the ONVIF device side. Prefixes are fixed here so the serializer never binds one twice. */
export const ONVIF_NS = {
  ...NS,
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  tns1: 'http://www.onvif.org/ver10/topics',
  vigie: VIGIE_TOPIC_NAMESPACE,
} as const;

export const tt = xmlNamespace('tt', NS.tt);
export const tds = xmlNamespace('tds', NS.tds);
export const trt = xmlNamespace('trt', NS.trt);
export const tr2 = xmlNamespace('tr2', NS.tr2);
export const tan = xmlNamespace('tan', NS.tan);
export const tev = xmlNamespace('tev', NS.tev);
export const wsnt = xmlNamespace('wsnt', ONVIF_NS.wsnt);
export const wstop = xmlNamespace('wstop', ONVIF_NS.wstop);
export const wsa = xmlNamespace('wsa', NS.wsa);
export const xs = xmlNamespace('xs', NS.xs);
export const tns1 = xmlNamespace('tns1', ONVIF_NS.tns1);
export const vigieTopics = xmlNamespace('vigie', ONVIF_NS.vigie);

export const CONCRETE_SET_DIALECT = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';
export const CONCRETE_DIALECT = 'http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete';
export const ITEM_FILTER_DIALECT = 'http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter';

/** Prefix → namespace of the topic roots Vigie emits. */
export const TOPIC_PREFIXES: Readonly<Record<string, string>> = { tns1: ONVIF_NS.tns1, vigie: ONVIF_NS.vigie };

/**
 * The content of an element whose text is a topic expression (`tns1:RuleEngine/FieldDetector//.|vigie:RuleEngine//.`):
 * the text, plus a declaration on the element itself of every topic prefix it uses, so the expression resolves
 * wherever the element ends up (a topic path is not a QName, so the builder cannot declare it on its own).
 */
export function topicContent(expression: string): XmlContent {
  const prefixes = new Set<string>();
  for (const part of expression.split('|')) {
    const prefix = part.trim().split(':')[0] ?? '';
    if (TOPIC_PREFIXES[prefix] === undefined) throw new Error(`topic "${part}" has no known prefix`);
    prefixes.add(prefix);
  }
  const declarations: XmlAttributeNode[] = [...prefixes].map((p) => ({ kind: 'attribute', name: `xmlns:${p}`, value: TOPIC_PREFIXES[p]! }));
  return [...declarations, expression];
}
