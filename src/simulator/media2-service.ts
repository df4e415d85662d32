import { SoapFaultError } from '../errors/index.js';
import { NS, ter, xmlNamespace, type SoapOperation, type SoapRequestContext, type XmlContent } from '../soap/index.js';
import { advertisedHost, snapshotUrl, streamUrl, type CameraModel } from './camera-model.js';
import { findProfile } from './media-service.js';
import { videoEncoder2Configuration, videoSourceConfiguration } from './onvif-types.js';

const tr2 = xmlNamespace('tr2', NS.tr2);

/** Content of tr2:Capabilities (GetServiceCapabilities, GetServices). */
export function media2ServiceCapabilities(model: CameraModel): [Record<string, boolean>, XmlContent] {
  return [
    { SnapshotUri: true, Rotation: false, VideoSourceMode: false, OSD: false, Mask: false, SourceMask: false },
    [
      tr2('ProfileCapabilities', { MaximumNumberOfProfiles: model.profiles.length, ConfigurationsSupported: 'VideoSource VideoEncoder' }),
      tr2('StreamingCapabilities', { RTSPStreaming: true, RTPMulticast: false, RTP_RTSP_TCP: true, NonAggregateControl: false }),
    ],
  ];
}

/**
 * Media2 GetStreamUri protocols this camera serves (all on the same RTSP URL; the client picks the transport in SETUP;
 * RtspOverHttp as `http://` on the RTSP port, which also takes the HTTP tunnel).
 */
const PROTOCOLS = ['RtspUnicast', 'RTSP', 'RtspOverHttp'];

/** Media2 operations (ver20/media/wsdl) of a simulated camera. */
export function media2Operations(model: CameraModel): SoapOperation[] {
  const host = (ctx: SoapRequestContext) => advertisedHost(model, ctx.localAddress);
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.tr2, local, access, handle });
  return [
    op('GetServiceCapabilities', 'PRE_AUTH', () => {
      const [attrs, content] = media2ServiceCapabilities(model);
      return tr2('GetServiceCapabilitiesResponse', tr2('Capabilities', attrs, content));
    }),
    op('GetProfiles', 'READ_MEDIA', (ctx) => {
      const token = ctx.operation.childText(NS.tr2, 'Token');
      const types = new Set(ctx.operation.childrenNamed(NS.tr2, 'Type').map((t) => t.text.trim()));
      const profiles = token === undefined ? model.profiles : [findProfile(model, token)];
      const all = types.has('All');
      return tr2(
        'GetProfilesResponse',
        profiles.map((p) => {
          const vsc = videoSourceConfiguration(model);
          const vec = videoEncoder2Configuration(p);
          const configurations = [
            all || types.has('VideoSource') ? tr2('VideoSource', vsc.attrs, vsc.content) : null,
            all || types.has('VideoEncoder') ? tr2('VideoEncoder', vec.attrs, vec.content) : null,
          ].filter((c) => c !== null);
          // Without a Type the profile comes back without configurations (Media2 §5.2.1).
          return tr2('Profiles', { token: p.token, fixed: true }, [tr2('Name', p.name), configurations.length ? tr2('Configurations', configurations) : null]);
        }),
      );
    }),
    op('GetVideoSourceConfigurations', 'READ_MEDIA', () => {
      const vsc = videoSourceConfiguration(model);
      return tr2('GetVideoSourceConfigurationsResponse', tr2('Configurations', vsc.attrs, vsc.content));
    }),
    op('GetVideoEncoderConfigurations', 'READ_MEDIA', () =>
      tr2(
        'GetVideoEncoderConfigurationsResponse',
        model.profiles.map((p) => {
          const vec = videoEncoder2Configuration(p);
          return tr2('Configurations', vec.attrs, vec.content);
        }),
      ),
    ),
    op('GetStreamUri', 'READ_MEDIA', (ctx) => {
      const profile = findProfile(model, ctx.operation.childText(NS.tr2, 'ProfileToken'));
      const protocol = ctx.operation.childText(NS.tr2, 'Protocol') ?? '';
      if (!PROTOCOLS.includes(protocol)) {
        throw new SoapFaultError({
          code: 'Sender',
          subcodes: [ter('InvalidArgVal'), ter('InvalidStreamSetup')],
          reason: `protocol "${protocol}" is not offered: use ${PROTOCOLS.join(' or ')}`,
        });
      }
      return tr2('GetStreamUriResponse', tr2('Uri', streamUrl(model, host(ctx), profile, protocol === 'RtspOverHttp' ? 'http' : 'rtsp')));
    }),
    op('GetSnapshotUri', 'READ_MEDIA', (ctx) => {
      const profile = findProfile(model, ctx.operation.childText(NS.tr2, 'ProfileToken'));
      return tr2('GetSnapshotUriResponse', tr2('Uri', snapshotUrl(model, host(ctx), profile)));
    }),
  ];
}
