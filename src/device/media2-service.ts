import { NS, type SoapOperation, type SoapRequestContext, type XmlContent, type XmlElement } from '../soap/index.js';
import { httpBase, requestHost, type DeviceContext } from './device-context.js';
import type { MetadataSettings, SourceView } from './device-model.js';
import { senderFault } from './faults.js';
import { parseDuration } from './durations.js';
import { mediaChange } from './event-messages.js';
import { CONFIGURATION_CHANGED, PROFILE_CHANGED } from './event-topics.js';
import { analyticsConfiguration, metadataConfiguration, videoEncoder2Configuration, videoSourceConfiguration, type ElementParts } from './media-types.js';
import { ONVIF_NS, tr2, tt } from './namespaces.js';
import { parseTopicExpression } from './topic-filter.js';

/** Content of tr2:Capabilities (GetServiceCapabilities, GetServices). */
export function media2Capabilities(device: DeviceContext): [Record<string, boolean>, XmlContent] {
  return [
    { SnapshotUri: device.model.backend.snapshot !== undefined, Rotation: false, VideoSourceMode: false, OSD: false, Mask: false, SourceMask: false },
    [
      tr2('ProfileCapabilities', { MaximumNumberOfProfiles: Math.max(1, device.model.sources().length), ConfigurationsSupported: 'VideoSource VideoEncoder Analytics Metadata' }),
      tr2('StreamingCapabilities', { RTSPStreaming: true, RTPMulticast: false, RTP_RTSP_TCP: true, NonAggregateControl: false }),
    ],
  ];
}

/**
 * Media2 GetStreamUri protocols: RTP over UDP or over the RTSP connection, on the same `rtsp://` URL; RTSP over HTTP
 * (the QuickTime tunnel, which the RTSP port also accepts) as `http://` on the RTSP port.
 */
const PROTOCOLS = ['RtspUnicast', 'RTSP', 'RtspOverHttp'];

/** `rtsp://host:rtspPort/path`, or with `http` the tunnel form `http://host:rtspPort/path` (same port, same path). */
export function streamUri(device: DeviceContext, ctx: SoapRequestContext, source: SourceView, scheme: 'rtsp' | 'http' = 'rtsp'): string {
  return `${scheme}://${requestHost(device, ctx)}:${device.model.backend.rtspPort()}${source.rtspPath}`;
}

export function snapshotUri(device: DeviceContext, ctx: SoapRequestContext, source: SourceView): string {
  return `${httpBase(device, ctx)}${device.config.path}/snapshot/${encodeURIComponent(source.token)}.jpg`;
}

const CONFIGURATION_TYPES = ['VideoSource', 'VideoEncoder', 'Analytics', 'Metadata'] as const;
type ConfigurationType = (typeof CONFIGURATION_TYPES)[number];

/** Sources selected by a tr2:GetConfiguration request (ConfigurationToken or ProfileToken, or all). */
function selectSources(device: DeviceContext, request: XmlElement, kind: 'videoSource' | 'metadata' | 'analytics' | 'encoder'): SourceView[] {
  const token = request.childText(NS.tr2, 'ConfigurationToken');
  const profile = request.childText(NS.tr2, 'ProfileToken');
  if (token) return [device.model.configuration(kind, token)];
  if (profile) {
    const source = device.model.profile(profile);
    const attached = device.model.attachments(source);
    if ((kind === 'metadata' && !attached.metadata) || (kind === 'analytics' && !attached.analytics)) return [];
    return [source];
  }
  return device.model.sources();
}

function useCount(device: DeviceContext, source: SourceView, kind: 'metadata' | 'analytics'): number {
  return device.model.attachments(source)[kind] ? 1 : 0;
}

function parts(device: DeviceContext, source: SourceView, type: ConfigurationType): ElementParts {
  switch (type) {
    case 'VideoSource':
      return videoSourceConfiguration(source);
    case 'VideoEncoder':
      return videoEncoder2Configuration(source);
    case 'Analytics':
      return analyticsConfiguration(device.model, source, useCount(device, source, 'analytics'));
    case 'Metadata':
      return metadataConfiguration(source, device.model.metadataSettings(source), useCount(device, source, 'metadata'));
  }
}

function readMetadataSettings(element: XmlElement, previous: MetadataSettings): MetadataSettings {
  const name = element.childText(NS.tt, 'Name') ?? previous.name;
  const analytics = element.childText(NS.tt, 'Analytics');
  const events = element.child(NS.tt, 'Events');
  const expression = events?.find([NS.tt, 'Filter'], [ONVIF_NS.wsnt, 'TopicExpression']);
  const timeout = element.childText(NS.tt, 'SessionTimeout') ?? previous.sessionTimeout;
  if (parseDuration(timeout) === undefined) throw senderFault(`SessionTimeout "${timeout}" is not an xs:duration`, 'InvalidArgVal', 'ConfigModify');
  const compression = element.attribute('CompressionType') ?? 'None';
  if (compression !== 'None') throw senderFault(`CompressionType "${compression}" is not supported: the metadata stream is sent uncompressed (None)`, 'InvalidArgVal', 'ConfigModify');
  if (element.child(NS.tt, 'PTZStatus')) {
    const status = element.child(NS.tt, 'PTZStatus')!;
    if (status.childText(NS.tt, 'Status') === 'true' || status.childText(NS.tt, 'Position') === 'true') {
      throw senderFault('PTZ status cannot be put in the metadata stream: the analysed cameras are seen as fixed', 'InvalidArgVal', 'ConfigModify');
    }
  }
  return {
    name,
    analytics: analytics === undefined ? previous.analytics : analytics === 'true' || analytics === '1',
    events: events ? (expression ? parseTopicExpression(expression) : []) : undefined,
    compressionType: compression,
    sessionTimeout: timeout,
  };
}

function configurationRefs(op: XmlElement): Array<{ type: string; token: string | undefined }> {
  return op.childrenNamed(NS.tr2, 'Configuration').map((c) => ({ type: c.childText(NS.tr2, 'Type') ?? '', token: c.childText(NS.tr2, 'Token') }));
}

/** Media2 operations (ver20/media/wsdl) of Vigie: one fixed profile per analysed camera. */
export function media2Operations(device: DeviceContext): SoapOperation[] {
  const model = device.model;
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.tr2, local, access, handle });
  const configurationList = (response: string, kind: 'videoSource' | 'metadata' | 'analytics' | 'encoder', type: ConfigurationType) =>
    op(`Get${response}`, 'READ_MEDIA', (ctx) =>
      tr2(
        `Get${response}Response`,
        selectSources(device, ctx.operation, kind).map((s) => {
          const p = parts(device, s, type);
          return tr2('Configurations', p.attrs, p.content);
        }),
      ),
    );
  return [
    op('GetServiceCapabilities', 'PRE_AUTH', () => {
      const [attrs, content] = media2Capabilities(device);
      return tr2('GetServiceCapabilitiesResponse', tr2('Capabilities', attrs, content));
    }),
    op('GetProfiles', 'READ_MEDIA', (ctx) => {
      const token = ctx.operation.childText(NS.tr2, 'Token');
      const types = new Set(ctx.operation.childrenNamed(NS.tr2, 'Type').map((t) => t.text.trim()));
      const sources = token === undefined ? model.sources() : [model.profile(token)];
      const all = types.has('All');
      return tr2(
        'GetProfilesResponse',
        sources.map((s) => {
          const attached = model.attachments(s);
          const configurations = CONFIGURATION_TYPES.filter((type) => all || types.has(type))
            .filter((type) => (type === 'Metadata' ? attached.metadata : type === 'Analytics' ? attached.analytics : true))
            .map((type) => {
              const p = parts(device, s, type);
              return tr2(type, p.attrs, p.content);
            });
          // Without a Type the profile comes back without configurations (Media2 §5.2.1).
          return tr2('Profiles', { token: s.profileToken, fixed: true }, [tr2('Name', s.name), configurations.length ? tr2('Configurations', configurations) : null]);
        }),
      );
    }),
    op('GetStreamUri', 'READ_MEDIA', (ctx) => {
      const source = model.profile(ctx.operation.childText(NS.tr2, 'ProfileToken'));
      const protocol = ctx.operation.childText(NS.tr2, 'Protocol') ?? '';
      if (!PROTOCOLS.includes(protocol)) {
        throw senderFault(`protocol "${protocol}" is not offered: use ${PROTOCOLS.join(' or ')}`, 'InvalidArgVal', 'InvalidStreamSetup');
      }
      return tr2('GetStreamUriResponse', tr2('Uri', streamUri(device, ctx, source, protocol === 'RtspOverHttp' ? 'http' : 'rtsp')));
    }),
    op('GetSnapshotUri', 'READ_MEDIA', (ctx) => tr2('GetSnapshotUriResponse', tr2('Uri', snapshotUri(device, ctx, model.profile(ctx.operation.childText(NS.tr2, 'ProfileToken')))))),
    op('SetSynchronizationPoint', 'READ_MEDIA', (ctx) => {
      const source = model.profile(ctx.operation.childText(NS.tr2, 'ProfileToken'));
      model.backend.synchronize?.(source.cameraId);
      return tr2('SetSynchronizationPointResponse');
    }),
    configurationList('VideoSourceConfigurations', 'videoSource', 'VideoSource'),
    configurationList('VideoEncoderConfigurations', 'encoder', 'VideoEncoder'),
    configurationList('MetadataConfigurations', 'metadata', 'Metadata'),
    configurationList('AnalyticsConfigurations', 'analytics', 'Analytics'),
    op('GetMetadataConfigurationOptions', 'READ_MEDIA', (ctx) => {
      const token = ctx.operation.childText(NS.tr2, 'ConfigurationToken');
      const profile = ctx.operation.childText(NS.tr2, 'ProfileToken');
      if (token) model.configuration('metadata', token);
      if (profile) model.profile(profile);
      return tr2(
        'GetMetadataConfigurationOptionsResponse',
        tr2('Options', { GeoLocation: false }, [tt('PTZStatusFilterOptions', [tt('PanTiltStatusSupported', false), tt('ZoomStatusSupported', false), tt('PanTiltPositionSupported', false), tt('ZoomPositionSupported', false)])]),
      );
    }),
    op('SetMetadataConfiguration', 'WRITE_SYSTEM', (ctx) => {
      const configuration = ctx.operation.child(NS.tr2, 'Configuration');
      if (!configuration) throw senderFault('SetMetadataConfiguration needs a Configuration', 'InvalidArgVal');
      const source = model.configuration('metadata', configuration.attribute('token'));
      model.setMetadataSettings(source, readMetadataSettings(configuration, model.metadataSettings(source)));
      device.logger.info({ camera: source.cameraId, configuration: source.metadataToken, user: ctx.user }, 'ONVIF metadata configuration changed');
      device.publish(mediaChange(CONFIGURATION_CHANGED, device.now(), source.metadataToken, 'Metadata'));
      return tr2('SetMetadataConfigurationResponse');
    }),
    op('AddConfiguration', 'WRITE_SYSTEM', (ctx) => {
      const source = model.profile(ctx.operation.childText(NS.tr2, 'ProfileToken'));
      const attached = model.attachments(source);
      for (const ref of configurationRefs(ctx.operation)) {
        const own: Record<string, string> = { VideoSource: source.videoSourceConfigurationToken, VideoEncoder: source.encoderToken, Metadata: source.metadataToken, Analytics: source.analyticsToken };
        const expected = own[ref.type];
        if (expected === undefined) throw senderFault(`configuration type "${ref.type}" is not supported (${CONFIGURATION_TYPES.join(', ')})`, 'InvalidArgVal', 'NoConfig');
        if (ref.token !== undefined && ref.token !== expected) {
          throw senderFault(`profile ${source.profileToken} can only carry its own ${ref.type} configuration ${expected}, not ${ref.token}`, 'InvalidArgVal', 'ConfigurationConflict');
        }
        if (ref.type === 'Metadata') attached.metadata = true;
        if (ref.type === 'Analytics') attached.analytics = true;
      }
      device.publish(mediaChange(PROFILE_CHANGED, device.now(), source.profileToken));
      return tr2('AddConfigurationResponse');
    }),
    op('RemoveConfiguration', 'WRITE_SYSTEM', (ctx) => {
      const source = model.profile(ctx.operation.childText(NS.tr2, 'ProfileToken'));
      const attached = model.attachments(source);
      const refs = configurationRefs(ctx.operation);
      for (const ref of refs) {
        if (ref.type !== 'Metadata' && ref.type !== 'Analytics') {
          throw senderFault(`the ${ref.type} configuration cannot be removed: the profile carries the camera's video`, 'InvalidArgVal', 'ConfigurationConflict');
        }
      }
      for (const ref of refs) attached[ref.type === 'Metadata' ? 'metadata' : 'analytics'] = false;
      device.publish(mediaChange(PROFILE_CHANGED, device.now(), source.profileToken));
      return tr2('RemoveConfigurationResponse');
    }),
  ];
}
