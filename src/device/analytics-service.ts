import type { RuleConfig } from '../config/index.js';
import { OnvifRuleError } from '../errors/index.js';
import { NS, qnameAttr, type QName, type SoapOperation, type XmlContent, type XmlElement } from '../soap/index.js';
import type { DeviceContext } from './device-context.js';
import { DETECTOR_MODULE, type AnalyticsModule, type SourceView } from './device-model.js';
import { mediaChange } from './event-messages.js';
import { CONFIGURATION_CHANGED, eventTopic, messageDescription } from './event-topics.js';
import { receiverFault, senderFault } from './faults.js';
import { tan, tt, xs } from './namespaces.js';
import { onvifRuleType, ruleElementParts, ruleFromOnvif } from './rule-mapping.js';

/** Attributes of tan:Capabilities. */
export function analyticsCapabilities(): Record<string, boolean> {
  return { RuleSupport: true, AnalyticsModuleSupport: true, CellBasedSceneDescriptionSupported: false, RuleOptionsSupported: false, AnalyticsModuleOptionsSupported: false, SupportedMetadata: true };
}

/** The rule types offered to ONVIF clients (the standard ones; Vigie's others are configured in vigie.yaml and listed by GetRules). */
const SUPPORTED_RULES: ReadonlyArray<{ type: 'intrusion' | 'line_crossing' | 'loitering'; parameters: Array<['simple' | 'element', string, QName]> }> = [
  { type: 'intrusion', parameters: [['simple', 'Armed', xs.qname('boolean')], ['simple', 'ClassFilter', tt.qname('StringList')], ['element', 'Field', tt.qname('Polygon')]] },
  {
    type: 'line_crossing',
    parameters: [['simple', 'Armed', xs.qname('boolean')], ['simple', 'ClassFilter', tt.qname('StringList')], ['simple', 'Direction', tt.qname('Direction')], ['element', 'Segments', tt.qname('Polyline')]],
  },
  {
    type: 'loitering',
    parameters: [['simple', 'Armed', xs.qname('boolean')], ['simple', 'ClassFilter', tt.qname('StringList')], ['simple', 'TimeThreshold', xs.qname('duration')], ['element', 'Field', tt.qname('Polygon')]],
  },
];

const MODULE_TYPES = new Set([DETECTOR_MODULE.type]);

function attr(name: string, value: string): XmlContent {
  return { kind: 'attribute', name, value };
}

function ruleDescription(rule: (typeof SUPPORTED_RULES)[number]): XmlContent {
  const topic = eventTopic(rule.type);
  const describe = (kind: 'simple' | 'element', name: string, type: QName) => tt(kind === 'simple' ? 'SimpleItemDescription' : 'ElementItemDescription', [attr('Name', name), qnameAttr('Type', type)]);
  return tt('RuleDescription', [
    qnameAttr('Name', onvifRuleType(rule.type)),
    tt('Parameters', [rule.parameters.filter((p) => p[0] === 'simple').map((p) => describe(...p)), rule.parameters.filter((p) => p[0] === 'element').map((p) => describe(...p))]),
    tt('Messages', { IsProperty: topic.isProperty }, messageDescription(topic, true)),
  ]);
}

function moduleElement(name: 'AnalyticsModule', module: AnalyticsModule): XmlContent {
  return tan(name, [attr('Name', module.name), qnameAttr('Type', tt.qname(module.type)), tt('Parameters', module.items.map(([Name, Value]) => tt('SimpleItem', { Name, Value })))]);
}

/** Sample of what the object detector puts in the metadata stream: a person box in the top-left quarter (Analytics spec). */
function sampleFrame(now: number): XmlContent {
  return tan('SampleFrame', { UtcTime: new Date(now).toISOString() }, [
    tt('Object', { ObjectId: 1 }, [
      tt('Appearance', [
        tt('Shape', [tt('BoundingBox', { left: -0.9, top: 0.9, right: -0.5, bottom: 0.2 }), tt('CenterOfGravity', { x: -0.7, y: 0.55 })]),
        tt('Class', [tt('Type', { Likelihood: 0.9 }, 'Human'), tt('Type', { Likelihood: 0.8 }, 'Vehicle')]),
      ]),
    ]),
  ]);
}

/**
 * The ONVIF Analytics service (ver20/analytics/wsdl) mapped onto Vigie's rule engine: each video analytics
 * configuration is one camera; rules an ONVIF client creates, modifies or deletes become the camera's Vigie rules
 * (through `DeviceBackend.rules.set`, atomically per call), and GetRules shows Vigie's configured rules in ONVIF form.
 */
export function analyticsOperations(device: DeviceContext): SoapOperation[] {
  const model = device.model;
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.tan, local, access, handle });
  const sourceOf = (operation: XmlElement): SourceView => model.configuration('analytics', operation.childText(NS.tan, 'ConfigurationToken'));
  const apply = (source: SourceView, rules: RuleConfig[], user: string | undefined, action: string): void => {
    try {
      model.backend.rules.set(source.cameraId, rules, `onvif:${user ?? 'unknown'}`);
    } catch (error) {
      device.logger.warn({ err: error, camera: source.cameraId, action }, 'ONVIF rule change refused by Vigie');
      throw senderFault(`Vigie refused the rules of camera ${source.cameraId}: ${error instanceof Error ? error.message : String(error)}`, 'InvalidArgVal', 'InvalidRule');
    }
    device.logger.info({ camera: source.cameraId, action, user, rules: rules.map((r) => r.name) }, 'rules changed through the ONVIF Analytics service');
    device.publish(mediaChange(CONFIGURATION_CHANGED, device.now(), source.analyticsToken, 'Analytics'));
  };
  const readRules = (operation: XmlElement, existing: RuleConfig[], modify: boolean): RuleConfig[] => {
    const elements = operation.childrenNamed(NS.tan, 'Rule');
    if (elements.length === 0) throw senderFault('no Rule given', 'InvalidArgVal', 'InvalidRule');
    try {
      return elements.map((el) => {
        const name = el.attribute('Name') ?? '';
        const base = existing.find((r) => r.name === name);
        if (modify && !base) throw senderFault(`rule "${name}" does not exist: CreateRules makes new rules`, 'InvalidArgVal', 'RuleNotExistent');
        if (!modify && base) throw senderFault(`rule "${name}" already exists: ModifyRules changes it`, 'InvalidArgVal', 'RuleAlreadyExistent');
        return ruleFromOnvif(el, base);
      });
    } catch (error) {
      if (error instanceof OnvifRuleError) throw senderFault(`${error.message} (${error.hint ?? ''})`, 'InvalidArgVal', 'InvalidRule');
      throw error;
    }
  };
  return [
    op('GetServiceCapabilities', 'PRE_AUTH', () => tan('GetServiceCapabilitiesResponse', tan('Capabilities', analyticsCapabilities()))),
    op('GetSupportedRules', 'READ_MEDIA', (ctx) => {
      sourceOf(ctx.operation);
      return tan('GetSupportedRulesResponse', tan('SupportedRules', SUPPORTED_RULES.map(ruleDescription)));
    }),
    op('GetRules', 'READ_MEDIA', (ctx) => {
      const source = sourceOf(ctx.operation);
      return tan(
        'GetRulesResponse',
        model.backend.rules.list(source.cameraId).map((r) => {
          const parts = ruleElementParts(r);
          return tan('Rule', [parts.attributes, parts.content]);
        }),
      );
    }),
    op('CreateRules', 'WRITE_SYSTEM', (ctx) => {
      const source = sourceOf(ctx.operation);
      const existing = model.backend.rules.list(source.cameraId);
      const created = readRules(ctx.operation, existing, false);
      const names = new Set<string>();
      for (const r of created) {
        if (names.has(r.name)) throw senderFault(`rule "${r.name}" is given twice`, 'InvalidArgVal', 'RuleAlreadyExistent');
        names.add(r.name);
      }
      apply(source, [...existing, ...created], ctx.user, 'create');
      return tan('CreateRulesResponse');
    }),
    op('ModifyRules', 'WRITE_SYSTEM', (ctx) => {
      const source = sourceOf(ctx.operation);
      const existing = model.backend.rules.list(source.cameraId);
      const modified = readRules(ctx.operation, existing, true);
      apply(source, existing.map((r) => modified.find((m) => m.name === r.name) ?? r), ctx.user, 'modify');
      return tan('ModifyRulesResponse');
    }),
    op('DeleteRules', 'WRITE_SYSTEM', (ctx) => {
      const source = sourceOf(ctx.operation);
      const existing = model.backend.rules.list(source.cameraId);
      const names = ctx.operation.childrenNamed(NS.tan, 'RuleName').map((n) => n.text.trim());
      const missing = names.filter((n) => !existing.some((r) => r.name === n));
      if (missing.length) throw senderFault(`rule(s) ${missing.join(', ')} do not exist`, 'InvalidArgVal', 'RuleNotExistent');
      apply(source, existing.filter((r) => !names.includes(r.name)), ctx.user, 'delete');
      return tan('DeleteRulesResponse');
    }),
    op('GetSupportedAnalyticsModules', 'READ_MEDIA', (ctx) => {
      sourceOf(ctx.operation);
      return tan(
        'GetSupportedAnalyticsModulesResponse',
        tan(
          'SupportedAnalyticsModules',
          tt('AnalyticsModuleDescription', { fixed: false, maxInstances: 1 }, [qnameAttr('Name', tt.qname(DETECTOR_MODULE.type)), tt('Parameters')]),
        ),
      );
    }),
    op('GetAnalyticsModules', 'READ_MEDIA', (ctx) => tan('GetAnalyticsModulesResponse', model.analyticsModules(sourceOf(ctx.operation)).map((m) => moduleElement('AnalyticsModule', m)))),
    op('CreateAnalyticsModules', 'WRITE_SYSTEM', (ctx) => {
      const source = sourceOf(ctx.operation);
      const modules = [...model.analyticsModules(source)];
      for (const el of ctx.operation.childrenNamed(NS.tan, 'AnalyticsModule')) {
        const name = el.attribute('Name')?.trim() ?? '';
        const type = el.resolveQName(el.attribute('Type') ?? '');
        if (!name) throw senderFault('an AnalyticsModule needs a Name', 'InvalidArgVal', 'InvalidModule');
        if (!type || type.uri !== NS.tt || !MODULE_TYPES.has(type.local)) {
          throw senderFault(`analytics module type "${el.attribute('Type') ?? ''}" is not supported: Vigie has one tt:ObjectDetection module`, 'InvalidArgVal', 'InvalidModule');
        }
        if (modules.some((m) => m.name === name)) throw senderFault(`analytics module "${name}" already exists`, 'InvalidArgVal', 'NameAlreadyExistent');
        if (modules.some((m) => m.type === type.local)) throw receiverFault(`a tt:${type.local} module already exists (at most 1): delete it first`, 'Action', 'TooManyModules');
        const items = (el.child(NS.tt, 'Parameters')?.childrenNamed(NS.tt, 'SimpleItem') ?? []).map((i): [string, string] => [i.attribute('Name') ?? '', i.attribute('Value') ?? '']);
        modules.push({ name, type: type.local, items });
      }
      model.setAnalyticsModules(source, modules);
      return tan('CreateAnalyticsModulesResponse');
    }),
    op('DeleteAnalyticsModules', 'WRITE_SYSTEM', (ctx) => {
      const source = sourceOf(ctx.operation);
      const names = ctx.operation.childrenNamed(NS.tan, 'AnalyticsModuleName').map((n) => n.text.trim());
      const modules = model.analyticsModules(source);
      const missing = names.filter((n) => !modules.some((m) => m.name === n));
      if (missing.length) throw senderFault(`analytics module(s) ${missing.join(', ')} do not exist`, 'InvalidArgVal', 'NoConfig');
      model.setAnalyticsModules(source, modules.filter((m) => !names.includes(m.name)));
      return tan('DeleteAnalyticsModulesResponse');
    }),
    op('GetSupportedMetadata', 'READ_MEDIA', (ctx) => {
      const wanted = ctx.operation.childText(NS.tan, 'Type');
      const resolved = wanted ? ctx.operation.child(NS.tan, 'Type')?.resolveQName(wanted) : undefined;
      const matches = !wanted || (resolved?.uri === NS.tt && resolved.local === DETECTOR_MODULE.type);
      return tan('GetSupportedMetadataResponse', matches ? tan('AnalyticsModule', [qnameAttr('Type', tt.qname(DETECTOR_MODULE.type)), sampleFrame(device.now())]) : null);
    }),
  ];
}

