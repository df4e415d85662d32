import type { XmlElement } from '../soap/index.js';
import { CONCRETE_DIALECT, CONCRETE_SET_DIALECT, ONVIF_NS } from './namespaces.js';
import { senderFault } from './faults.js';

/** A topic: the namespace of its root and its path (`RuleEngine`, `FieldDetector`, `ObjectsInside`). */
export interface Topic {
  uri: string;
  path: readonly string[];
}

/** One alternative of a topic expression: a topic, or (`//.`) a topic and everything under it. */
export interface TopicPattern extends Topic {
  subtree: boolean;
}

const PREFIX_OF: Record<string, string> = { [ONVIF_NS.tns1]: 'tns1', [ONVIF_NS.vigie]: 'vigie' };

/** `tns1:RuleEngine/FieldDetector/ObjectsInside` → its Topic (prefixes of Vigie's topic roots only). */
export function topicOf(expression: string): Topic {
  const colon = expression.indexOf(':');
  const prefix = expression.slice(0, colon);
  const uri = Object.entries(PREFIX_OF).find(([, p]) => p === prefix)?.[0];
  if (!uri) throw new Error(`unknown topic prefix in ${expression}`);
  return { uri, path: expression.slice(colon + 1).split('/') };
}

/**
 * Reads a `wsnt:TopicExpression` (ConcreteSet or Concrete dialect): alternatives separated by `|`, each
 * `prefix:Root/Child/...`, optionally ending in `//.` for the whole subtree. Prefixes are resolved with the
 * namespace declarations in scope of the element (clients may use any prefix). Anything else is a Sender fault.
 */
export function parseTopicExpression(element: XmlElement): TopicPattern[] {
  const dialect = element.attribute('Dialect')?.trim() || CONCRETE_SET_DIALECT;
  if (dialect !== CONCRETE_SET_DIALECT && dialect !== CONCRETE_DIALECT) {
    throw senderFault(`topic expression dialect ${dialect} is not supported: use ${CONCRETE_SET_DIALECT}`, 'InvalidArgVal', 'InvalidTopicExpression');
  }
  const text = element.text.trim();
  const alternatives = dialect === CONCRETE_SET_DIALECT ? text.split('|') : [text];
  return alternatives.map((raw) => {
    let expr = raw.trim();
    let subtree = false;
    if (expr.endsWith('//.')) {
      subtree = true;
      expr = expr.slice(0, -3);
    }
    const steps = expr.split('/').filter((s) => s !== '');
    const first = steps[0];
    const root = first ? element.resolveQName(first) : undefined;
    if (!first || !root || !first.includes(':') || steps.some((s) => s === '.' || s === '*')) {
      throw senderFault(`topic expression "${raw.trim()}" is not a concrete topic such as tns1:RuleEngine//.`, 'InvalidArgVal', 'InvalidTopicExpression');
    }
    // Child steps may carry a prefix too (Concrete dialect allows it); only the local part names a child.
    const path = [root.local, ...steps.slice(1).map((s) => s.slice(s.indexOf(':') + 1))];
    return { uri: root.uri, path, subtree };
  });
}

/** True when the topic is selected by the patterns; no patterns (undefined) select every topic. */
export function topicMatches(patterns: readonly TopicPattern[] | undefined, topic: Topic): boolean {
  if (!patterns) return true;
  return patterns.some((p) => {
    if (p.uri !== topic.uri) return false;
    if (p.subtree ? topic.path.length < p.path.length : topic.path.length !== p.path.length) return false;
    return p.path.every((step, i) => step === topic.path[i]);
  });
}

/** Patterns back to a ConcreteSet expression with Vigie's prefixes (undefined when none is one of Vigie's roots). */
export function topicExpressionText(patterns: readonly TopicPattern[]): string | undefined {
  const known = patterns.filter((p) => PREFIX_OF[p.uri] !== undefined);
  if (known.length === 0) return undefined;
  return known.map((p) => `${PREFIX_OF[p.uri]}:${p.path.join('/')}${p.subtree ? '//.' : ''}`).join('|');
}
