import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleSchema, type RuleConfig } from '../../../src/config/index.js';
import { fromOnvifPoint, ruleFromOnvif, ruleParameters, onvifRuleType, toOnvifPoint } from '../../../src/device/index.js';
import { OnvifRuleError } from '../../../src/errors/index.js';
import { NS, element, parseXml, qnameAttr, serializeXml, xmlNamespace, type XmlElement } from '../../../src/soap/index.js';

const tt = xmlNamespace('tt', NS.tt);
const tan = xmlNamespace('tan', NS.tan);

/** A rule as ONVIF clients send it, parsed back as the device reads it. */
function onvifRule(xml: string): XmlElement {
  return parseXml(`<tan:Rule xmlns:tan="${NS.tan}" xmlns:tt="${NS.tt}" ${xml}`);
}

function roundTrip(rule: RuleConfig): RuleConfig {
  const xml = serializeXml(element(tan.qname('Rule'), {}, [{ kind: 'attribute', name: 'Name', value: rule.name }, qnameAttr('Type', onvifRuleType(rule.type)), tt('Parameters', ruleParameters(rule))]));
  return ruleFromOnvif(parseXml(xml));
}

describe('ONVIF rules ↔ Vigie rules', () => {
  it('converts coordinates both ways: ONVIF -1..1 y up, Vigie 0..1 y down', () => {
    assert.deepEqual(toOnvifPoint([0, 0]), [-1, 1]);
    assert.deepEqual(toOnvifPoint([1, 1]), [1, -1]);
    assert.deepEqual(toOnvifPoint([0.25, 0.75]), [-0.5, -0.5]);
    assert.deepEqual(fromOnvifPoint([-0.8, 0.2]), [0.1, 0.4], 'no floating-point residue');
    for (const p of [[0.1, 0.9], [0.33, 0.66], [1, 0]] as Array<[number, number]>) assert.deepEqual(fromOnvifPoint(toOnvifPoint(p)), p);
  });

  it('reads a tt:LineDetector with Segments and Direction as a line_crossing rule', () => {
    const rule = ruleFromOnvif(
      onvifRule(`Name="door" Type="tt:LineDetector"><tt:Parameters><tt:SimpleItem Name="Direction" Value="Right"/><tt:ElementItem Name="Segments"><tt:Polyline><tt:Point x="-0.2" y="0.0"/><tt:Point x="0.2" y="0.0"/></tt:Polyline></tt:ElementItem></tt:Parameters></tan:Rule>`),
    );
    assert.equal(rule.type, 'line_crossing');
    assert.deepEqual(rule.type === 'line_crossing' ? [rule.line, rule.direction, rule.classes] : [], [[[0.4, 0.5], [0.6, 0.5]], 'a_to_b', ['person']]);
  });

  it('reads a tt:FieldDetector Field as an intrusion zone, whatever the tt prefix', () => {
    const rule = ruleFromOnvif(
      parseXml(`<r:Rule xmlns:r="${NS.tan}" xmlns:o="${NS.tt}" Name="yard" Type="o:FieldDetector"><o:Parameters><o:SimpleItem Name="ClassFilter" Value="person car"/><o:ElementItem Name="Field"><o:Polygon><o:Point x="-1" y="1"/><o:Point x="1" y="1"/><o:Point x="1" y="-1"/></o:Polygon></o:ElementItem></o:Parameters></r:Rule>`),
    );
    assert.deepEqual(rule.type === 'intrusion' ? [rule.zone, rule.classes] : [], [[[0, 0], [1, 0], [1, 1]], ['person', 'car']]);
  });

  it('keeps every Vigie setting through GetRules → ModifyRules, for standard and Vigie-only rule types', () => {
    const rules = [
      ruleSchema.parse({ type: 'loitering', name: 'bench', zone: [[0.1, 0.1], [0.4, 0.1], [0.4, 0.3]], durationSeconds: 45, cooldownSeconds: 12, enabled: false }),
      ruleSchema.parse({ type: 'line_crossing', name: 'gate', line: [[0.2, 0.5], [0.8, 0.5]], direction: 'b_to_a', classes: ['person', 'bicycle'] }),
      ruleSchema.parse({ type: 'wrong_way', name: 'exit', zone: [[0, 0], [1, 0], [1, 1]], allowedDirection: 270 }),
      ruleSchema.parse({ type: 'crowd_density', name: 'hall', zone: [[0, 0], [1, 0], [1, 1]], maxPerSquareMetre: 3, areaSquareMetres: 120 }),
    ];
    for (const rule of rules) assert.deepEqual(roundTrip(rule), rule, rule.name);
  });

  it('refuses what Vigie cannot evaluate, naming the rule and the cause', () => {
    const cases: Array<[string, RegExp]> = [
      ['Name="m" Type="tt:CellMotionDetector"><tt:Parameters/></tan:Rule>', /rule type "tt:CellMotionDetector" is not supported/],
      ['Name="z" Type="tt:FieldDetector"><tt:Parameters><tt:ElementItem Name="Field"><tt:Polygon><tt:Point x="-2" y="0"/><tt:Point x="1" y="1"/><tt:Point x="1" y="-1"/></tt:Polygon></tt:ElementItem></tt:Parameters></tan:Rule>', /from -1 to 1/],
      ['Name="l" Type="tt:LineDetector"><tt:Parameters><tt:ElementItem Name="Segments"><tt:Polyline><tt:Point x="0" y="0"/><tt:Point x="0.5" y="0"/><tt:Point x="0.5" y="0.5"/></tt:Polyline></tt:ElementItem></tt:Parameters></tan:Rule>', /3 points/],
      ['Name="f" Type="tt:FieldDetector"><tt:Parameters/></tan:Rule>', /zone/],
      ['Name="d" Type="tt:LineDetector"><tt:Parameters><tt:SimpleItem Name="Direction" Value="Approaching"/></tt:Parameters></tan:Rule>', /Direction "Approaching"/],
      ['Name="x" Type="tt:FieldDetector"><tt:Parameters><tt:SimpleItem Name="Bogus" Value="1"/><tt:ElementItem Name="Field"><tt:Polygon><tt:Point x="0" y="0"/><tt:Point x="1" y="0"/><tt:Point x="1" y="1"/></tt:Polygon></tt:ElementItem></tt:Parameters></tan:Rule>', /Bogus/],
    ];
    for (const [xml, message] of cases) {
      assert.throws(() => ruleFromOnvif(onvifRule(xml)), (e: unknown) => e instanceof OnvifRuleError && message.test(e.message) && e.code === 'ONVIF_RULE_INVALID', xml);
    }
  });
});
