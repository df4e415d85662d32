import { ruleSchema, type RuleConfig } from '../config/index.js';
import { OnvifRuleError } from '../errors/index.js';
import { NS, qnameAttr, xmlNamespace, type ExpandedName, type QName, type XmlContent, type XmlElement } from '../soap/index.js';
import { tt } from './namespaces.js';
import { fromOnvifPoint as vigiePoint, toOnvifPoint as onvifPoint } from '../geometry/index.js';

/** Namespace of the rule types Vigie has and ONVIF does not (wrong way, person down, ...), prefix `vga`. */
export const VIGIE_ANALYTICS_NS = 'http://vigie.dev/ns/2026/analytics';
const vga = xmlNamespace('vga', VIGIE_ANALYTICS_NS);

type RuleType = RuleConfig['type'];

/** ONVIF rule type of each Vigie rule type: the standard ones where ONVIF has one (Analytics spec, Annex A). */
const ONVIF_TYPE: Record<RuleType, QName> = {
  intrusion: tt.qname('FieldDetector'),
  line_crossing: tt.qname('LineDetector'),
  loitering: tt.qname('LoiteringDetector'),
  wrong_way: vga.qname('WrongWay'),
  abandoned_object: vga.qname('AbandonedObject'),
  person_down: vga.qname('PersonDown'),
  crowd_density: vga.qname('CrowdDensity'),
  crowd_movement: vga.qname('CrowdMovement'),
  weapon: vga.qname('Weapon'),
  fire: vga.qname('Fire'),
};

export function onvifRuleType(type: RuleType): QName {
  return ONVIF_TYPE[type];
}

/** Vigie rule type of an ONVIF rule type, or undefined. */
export function vigieRuleType(name: ExpandedName): RuleType | undefined {
  return (Object.keys(ONVIF_TYPE) as RuleType[]).find((t) => ONVIF_TYPE[t].uri === name.uri && ONVIF_TYPE[t].local === name.local);
}

const round = (v: number): number => Math.round(v * 1e9) / 1e9 + 0;

/** Vigie point (0..1, y down) → ONVIF point (-1..1, y up): x' = 2x − 1, y' = 1 − 2y. */
export function toOnvifPoint(point: readonly [number, number]): [number, number] {
  const [x, y] = onvifPoint(point);
  return [round(x), round(y)];
}

/** ONVIF point (-1..1, y up) → Vigie point (0..1, y down). */
export function fromOnvifPoint(point: readonly [number, number]): [number, number] {
  const [x, y] = vigiePoint(point);
  return [round(x), round(y)];
}

/** ONVIF LineDetector Direction ↔ Vigie direction. `Right`: the object ends on the right of the segment walked from its first point to its last, as seen on screen (Vigie's A→B). */
const DIRECTION_TO_VIGIE: Record<string, 'a_to_b' | 'b_to_a' | 'both'> = { Right: 'a_to_b', Left: 'b_to_a', Any: 'both' };
const DIRECTION_TO_ONVIF = { a_to_b: 'Right', b_to_a: 'Left', both: 'Any' } as const;

function points(list: ReadonlyArray<readonly [number, number]>): XmlContent {
  return list.map((p) => {
    const [x, y] = toOnvifPoint(p);
    return tt('Point', { x, y });
  });
}

function seconds(value: number): string {
  return `PT${round(value)}S`;
}

/** Fields written as standard ONVIF parameters, not as Vigie's own SimpleItems. */
const MAPPED_FIELDS = new Set(['type', 'name', 'zone', 'line', 'direction', 'enabled', 'classes']);

/**
 * A Vigie rule as ONVIF `tt:Parameters` content: the geometry as ElementItems (`Field` polygon, `Segments`
 * polyline) in ONVIF coordinates, the standard parameters (`Direction`, `TimeThreshold`, `Armed`, `ClassFilter`),
 * then every other setting under its Vigie name, so that GetRules → ModifyRules keeps them.
 */
export function ruleParameters(rule: RuleConfig): XmlContent {
  const simple: Array<[string, string]> = [];
  const elements: XmlContent[] = [];
  simple.push(['Armed', String(rule.enabled)]);
  if ('classes' in rule) simple.push(['ClassFilter', rule.classes.join(' ')]);
  if (rule.type === 'line_crossing') {
    simple.push(['Direction', DIRECTION_TO_ONVIF[rule.direction]]);
    elements.push(tt('ElementItem', { Name: 'Segments' }, tt('Polyline', points(rule.line))));
  }
  if (rule.type === 'loitering') simple.push(['TimeThreshold', seconds(rule.durationSeconds)]);
  if ('zone' in rule && rule.zone) elements.push(tt('ElementItem', { Name: 'Field' }, tt('Polygon', points(rule.zone))));
  for (const [key, value] of Object.entries(rule)) {
    if (MAPPED_FIELDS.has(key) || value === undefined) continue;
    if (rule.type === 'loitering' && key === 'durationSeconds') continue;
    simple.push([key, Array.isArray(value) ? value.join(' ') : String(value)]);
  }
  return [simple.map(([Name, Value]) => tt('SimpleItem', { Name, Value })), elements];
}

/** `tt:Rule` / `tan:Rule` attributes and content for a Vigie rule. */
export function ruleElementParts(rule: RuleConfig): { attributes: XmlContent; content: XmlContent } {
  return { attributes: [{ kind: 'attribute', name: 'Name', value: rule.name }, qnameAttr('Type', ONVIF_TYPE[rule.type])], content: tt('Parameters', ruleParameters(rule)) };
}

function readPoints(ruleName: string, element: XmlElement, what: string): Array<[number, number]> {
  return element.childrenNamed(NS.tt, 'Point').map((p, i) => {
    const x = Number(p.attribute('x'));
    const y = Number(p.attribute('y'));
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1 || Math.abs(y) > 1) {
      throw new OnvifRuleError(ruleName, `point ${i + 1} of ${what} is (${p.attribute('x') ?? '?'}, ${p.attribute('y') ?? '?'}): ONVIF coordinates are numbers from -1 to 1`);
    }
    return fromOnvifPoint([x, y]);
  });
}

function scalar(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** Vigie fields whose value is a list, written space-separated in a SimpleItem. */
const LIST_FIELDS = new Set(['classes']);

/**
 * An ONVIF rule (`tan:Rule` or `tt:Rule`: Name, Type, Parameters) as a Vigie rule, starting from `base` (the rule it
 * modifies, so settings ONVIF has no word for are kept). Validated with Vigie's rule schema; every problem is an
 * `OnvifRuleError` naming the rule and the cause.
 */
export function ruleFromOnvif(element: XmlElement, base?: RuleConfig): RuleConfig {
  const name = element.attribute('Name')?.trim() ?? '';
  if (!name) throw new OnvifRuleError('(unnamed)', 'the rule has no Name attribute');
  const typeText = element.attribute('Type') ?? '';
  const typeName = element.resolveQName(typeText);
  const type = typeName ? vigieRuleType(typeName) : undefined;
  if (!type) {
    throw new OnvifRuleError(name, `rule type "${typeText}" is not supported (${Object.values(ONVIF_TYPE).map((q) => `${q.prefix}:${q.local}`).join(', ')})`);
  }
  const draft: Record<string, unknown> = base && base.type === type ? { ...base } : {};
  draft.type = type;
  draft.name = name;
  const parameters = element.child(NS.tt, 'Parameters');
  for (const item of parameters?.childrenNamed(NS.tt, 'SimpleItem') ?? []) {
    const key = item.attribute('Name') ?? '';
    const value = item.attribute('Value') ?? '';
    switch (key) {
      case 'Armed':
        draft.enabled = value === 'true' || value === '1';
        break;
      case 'ClassFilter':
        draft.classes = value.split(/\s+/).filter(Boolean);
        break;
      case 'Direction':
        if (type !== 'line_crossing') throw new OnvifRuleError(name, 'Direction applies only to tt:LineDetector rules');
        if (!DIRECTION_TO_VIGIE[value]) throw new OnvifRuleError(name, `Direction "${value}" is not supported: use Left, Right or Any`);
        draft.direction = DIRECTION_TO_VIGIE[value];
        break;
      case 'TimeThreshold': {
        const m = /^PT(\d+(?:\.\d+)?)S$|^PT(\d+)M(?:(\d+(?:\.\d+)?)S)?$/.exec(value.trim());
        if (type !== 'loitering' || !m) throw new OnvifRuleError(name, `TimeThreshold "${value}" is not a duration in seconds or minutes (PT30S, PT2M) of a tt:LoiteringDetector rule`);
        draft.durationSeconds = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 60 + Number(m[3] ?? 0);
        break;
      }
      default:
        if (!/^[a-zA-Z]+$/.test(key)) throw new OnvifRuleError(name, `parameter "${key}" is not known`);
        draft[key] = LIST_FIELDS.has(key) ? value.split(/\s+/).filter(Boolean) : scalar(value);
    }
  }
  for (const item of parameters?.childrenNamed(NS.tt, 'ElementItem') ?? []) {
    const key = item.attribute('Name') ?? '';
    if (key === 'Field') {
      const polygon = item.child(NS.tt, 'Polygon');
      if (!polygon) throw new OnvifRuleError(name, 'the Field ElementItem holds no tt:Polygon');
      draft.zone = readPoints(name, polygon, 'the Field polygon');
    } else if (key === 'Segments') {
      const polyline = item.child(NS.tt, 'Polyline');
      if (!polyline) throw new OnvifRuleError(name, 'the Segments ElementItem holds no tt:Polyline');
      const line = readPoints(name, polyline, 'the Segments polyline');
      if (line.length !== 2) throw new OnvifRuleError(name, `the Segments polyline has ${line.length} points: Vigie lines have exactly two`, { hint: 'split a polyline into one tt:LineDetector rule per segment' });
      draft.line = line;
    } else {
      throw new OnvifRuleError(name, `element parameter "${key}" is not supported (Field, Segments)`);
    }
  }
  const parsed = ruleSchema.safeParse(draft);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
    throw new OnvifRuleError(name, problems);
  }
  return parsed.data;
}
