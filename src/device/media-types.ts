import { qnameAttr, type XmlAttributes, type XmlContent } from '../soap/index.js';
import type { DeviceModel, MetadataSettings, SourceView } from './device-model.js';
import { CONCRETE_SET_DIALECT, topicContent, tt, wsnt } from './namespaces.js';
import { ruleElementParts } from './rule-mapping.js';
import { topicExpressionText } from './topic-filter.js';

/** The attributes and content of a configuration element (its element name depends on the service). */
export interface ElementParts {
  attrs: XmlAttributes;
  content: XmlContent;
}

function multicast(): XmlContent {
  return tt('Multicast', [tt('Address', [tt('Type', 'IPv4'), tt('IPv4Address', '0.0.0.0')]), tt('Port', 0), tt('TTL', 1), tt('AutoStart', false)]);
}

export function videoSource(source: SourceView): ElementParts {
  return { attrs: { token: source.token }, content: [tt('Framerate', source.framerate), tt('Resolution', [tt('Width', source.width), tt('Height', source.height)])] };
}

export function videoSourceConfiguration(source: SourceView): ElementParts {
  return {
    attrs: { token: source.videoSourceConfigurationToken },
    content: [tt('Name', source.name), tt('UseCount', 1), tt('SourceToken', source.token), tt('Bounds', { x: 0, y: 0, width: source.width, height: source.height })],
  };
}

/**
 * Media (ver10) tt:VideoEncoderConfiguration. Vigie passes the camera's H.264 through without re-encoding: the
 * resolution and frame rate are the camera's, and the bitrate is not known (0).
 */
export function videoEncoderConfiguration(source: SourceView): ElementParts {
  const fps = Math.max(1, Math.round(source.framerate));
  return {
    attrs: { token: source.encoderToken },
    content: [
      tt('Name', `${source.name} (passed through)`),
      tt('UseCount', 1),
      tt('Encoding', 'H264'),
      tt('Resolution', [tt('Width', source.width), tt('Height', source.height)]),
      tt('Quality', 5),
      tt('RateControl', [tt('FrameRateLimit', fps), tt('EncodingInterval', 1), tt('BitrateLimit', 0)]),
      tt('H264', [tt('GovLength', fps), tt('H264Profile', 'Main')]),
      multicast(),
      tt('SessionTimeout', 'PT60S'),
    ],
  };
}

/** Media2 (ver20) tt:VideoEncoder2Configuration. */
export function videoEncoder2Configuration(source: SourceView): ElementParts {
  return {
    attrs: { token: source.encoderToken },
    content: [
      tt('Name', `${source.name} (passed through)`),
      tt('UseCount', 1),
      tt('Encoding', 'H264'),
      tt('Resolution', [tt('Width', source.width), tt('Height', source.height)]),
      tt('RateControl', { ConstantBitRate: false }, [tt('FrameRateLimit', source.framerate), tt('BitrateLimit', 0)]),
      multicast(),
      tt('Quality', 5),
    ],
  };
}

/** tt:MetadataConfiguration as the client last set it. */
export function metadataConfiguration(source: SourceView, settings: MetadataSettings, useCount: number): ElementParts {
  const filter = settings.events ? topicExpressionText(settings.events) : undefined;
  return {
    attrs: { token: source.metadataToken, CompressionType: settings.compressionType },
    content: [
      tt('Name', settings.name),
      tt('UseCount', useCount),
      settings.events ? tt('Events', filter ? tt('Filter', wsnt('TopicExpression', { Dialect: CONCRETE_SET_DIALECT }, topicContent(filter))) : null) : null,
      tt('Analytics', settings.analytics),
      multicast(),
      tt('SessionTimeout', settings.sessionTimeout),
    ],
  };
}

/** tt:VideoAnalyticsConfiguration: the analytics modules and Vigie's rules of the camera, in ONVIF form. */
export function analyticsConfiguration(model: DeviceModel, source: SourceView, useCount: number): ElementParts {
  const rules = model.backend.rules.list(source.cameraId);
  return {
    attrs: { token: source.analyticsToken },
    content: [
      tt('Name', `${source.name} analytics`),
      tt('UseCount', useCount),
      tt(
        'AnalyticsEngineConfiguration',
        model.analyticsModules(source).map((m) =>
          tt('AnalyticsModule', [{ kind: 'attribute', name: 'Name', value: m.name }, qnameAttr('Type', tt.qname(m.type)), tt('Parameters', m.items.map(([Name, Value]) => tt('SimpleItem', { Name, Value })))]),
        ),
      ),
      tt(
        'RuleEngineConfiguration',
        rules.map((r) => {
          const parts = ruleElementParts(r);
          return tt('Rule', [parts.attributes, parts.content]);
        }),
      ),
    ],
  };
}

export function mediaUri(uri: string): XmlContent {
  return [tt('Uri', uri), tt('InvalidAfterConnect', false), tt('InvalidAfterReboot', false), tt('Timeout', 'PT0S')];
}
