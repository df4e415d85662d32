import { NS, type SoapOperation, type XmlContent } from '../soap/index.js';
import type { DeviceContext } from './device-context.js';
import type { SourceView } from './device-model.js';
import { senderFault } from './faults.js';
import { analyticsConfiguration, mediaUri, metadataConfiguration, videoEncoderConfiguration, videoSource, videoSourceConfiguration } from './media-types.js';
import { snapshotUri, streamUri } from './media2-service.js';
import { trt, tt } from './namespaces.js';

/** Content of trt:Capabilities (GetServiceCapabilities, GetServices). */
export function mediaCapabilities(device: DeviceContext): [Record<string, boolean>, XmlContent] {
  return [
    { SnapshotUri: device.model.backend.snapshot !== undefined, Rotation: false, VideoSourceMode: false, OSD: false },
    [
      trt('ProfileCapabilities', { MaximumNumberOfProfiles: Math.max(1, device.model.sources().length) }),
      trt('StreamingCapabilities', { RTPMulticast: false, RTP_TCP: true, RTP_RTSP_TCP: true, NonAggregateControl: false, NoRTSPStreaming: false }),
    ],
  ];
}

function profileElement(device: DeviceContext, source: SourceView, name: 'Profiles' | 'Profile'): XmlContent {
  const attached = device.model.attachments(source);
  const vsc = videoSourceConfiguration(source);
  const vec = videoEncoderConfiguration(source);
  const vac = attached.analytics ? analyticsConfiguration(device.model, source, 1) : undefined;
  const meta = attached.metadata ? metadataConfiguration(source, device.model.metadataSettings(source), 1) : undefined;
  return trt(name, { token: source.profileToken, fixed: true }, [
    tt('Name', source.name),
    tt('VideoSourceConfiguration', vsc.attrs, vsc.content),
    tt('VideoEncoderConfiguration', vec.attrs, vec.content),
    vac ? tt('VideoAnalyticsConfiguration', vac.attrs, vac.content) : null,
    meta ? tt('MetadataConfiguration', meta.attrs, meta.content) : null,
  ]);
}

/** Media (ver10) operations of Vigie, for VMS drivers that do not use Media2. */
export function mediaOperations(device: DeviceContext): SoapOperation[] {
  const model = device.model;
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.trt, local, access, handle });
  return [
    op('GetServiceCapabilities', 'PRE_AUTH', () => {
      const [attrs, content] = mediaCapabilities(device);
      return trt('GetServiceCapabilitiesResponse', trt('Capabilities', attrs, content));
    }),
    op('GetProfiles', 'READ_MEDIA', () => trt('GetProfilesResponse', model.sources().map((s) => profileElement(device, s, 'Profiles')))),
    op('GetProfile', 'READ_MEDIA', (ctx) => trt('GetProfileResponse', profileElement(device, model.profile(ctx.operation.childText(NS.trt, 'ProfileToken')), 'Profile'))),
    op('GetVideoSources', 'READ_MEDIA', () =>
      trt(
        'GetVideoSourcesResponse',
        model.sources().map((s) => {
          const v = videoSource(s);
          return trt('VideoSources', v.attrs, v.content);
        }),
      ),
    ),
    op('GetVideoSourceConfigurations', 'READ_MEDIA', () =>
      trt(
        'GetVideoSourceConfigurationsResponse',
        model.sources().map((s) => {
          const v = videoSourceConfiguration(s);
          return trt('Configurations', v.attrs, v.content);
        }),
      ),
    ),
    op('GetVideoAnalyticsConfigurations', 'READ_MEDIA', () =>
      trt(
        'GetVideoAnalyticsConfigurationsResponse',
        model.sources().map((s) => {
          const v = analyticsConfiguration(model, s, model.attachments(s).analytics ? 1 : 0);
          return trt('Configurations', v.attrs, v.content);
        }),
      ),
    ),
    op('GetMetadataConfigurations', 'READ_MEDIA', () =>
      trt(
        'GetMetadataConfigurationsResponse',
        model.sources().map((s) => {
          const v = metadataConfiguration(s, model.metadataSettings(s), model.attachments(s).metadata ? 1 : 0);
          return trt('Configurations', v.attrs, v.content);
        }),
      ),
    ),
    op('GetStreamUri', 'READ_MEDIA', (ctx) => {
      const source = model.profile(ctx.operation.childText(NS.trt, 'ProfileToken'));
      const setup = ctx.operation.child(NS.trt, 'StreamSetup');
      const stream = setup?.childText(NS.tt, 'Stream') ?? 'RTP-Unicast';
      const protocol = setup?.find([NS.tt, 'Transport'], [NS.tt, 'Protocol'])?.text.trim() ?? 'RTSP';
      if (stream !== 'RTP-Unicast' || !['RTSP', 'UDP', 'TCP', 'HTTP'].includes(protocol)) {
        throw senderFault(`${stream} over ${protocol} is not offered: use RTP-Unicast over RTSP, UDP, TCP or HTTP`, 'InvalidArgVal', 'InvalidStreamSetup');
      }
      // HTTP: RTSP over HTTP, the QuickTime tunnel the RTSP port accepts besides plain RTSP.
      return trt('GetStreamUriResponse', trt('MediaUri', mediaUri(streamUri(device, ctx, source, protocol === 'HTTP' ? 'http' : 'rtsp'))));
    }),
    op('GetSnapshotUri', 'READ_MEDIA', (ctx) => trt('GetSnapshotUriResponse', trt('MediaUri', mediaUri(snapshotUri(device, ctx, model.profile(ctx.operation.childText(NS.trt, 'ProfileToken'))))))),
  ];
}
