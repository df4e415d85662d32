import { SoapFaultError } from '../errors/index.js';
import { NS, ter, xmlNamespace, type SoapOperation, type SoapRequestContext, type XmlContent } from '../soap/index.js';
import { advertisedHost, snapshotUrl, streamUrl, type CameraModel, type StreamProfile } from './camera-model.js';
import { mediaUri, tt, videoEncoderConfiguration, videoSource, videoSourceConfiguration } from './onvif-types.js';

const trt = xmlNamespace('trt', NS.trt);

/** Content of trt:Capabilities (GetServiceCapabilities, GetServices). */
export function mediaServiceCapabilities(model: CameraModel): [Record<string, boolean>, XmlContent] {
  return [
    { SnapshotUri: true, Rotation: false, VideoSourceMode: false, OSD: false },
    [
      trt('ProfileCapabilities', { MaximumNumberOfProfiles: model.profiles.length }),
      trt('StreamingCapabilities', { RTPMulticast: false, RTP_TCP: true, RTP_RTSP_TCP: true, NonAggregateControl: false, NoRTSPStreaming: false }),
    ],
  ];
}

export function findProfile(model: CameraModel, token: string | undefined): StreamProfile {
  const profile = model.profiles.find((p) => p.token === token);
  if (!profile) {
    throw new SoapFaultError({ code: 'Sender', subcodes: [ter('InvalidArgVal'), ter('NoProfile')], reason: `the profile "${token ?? ''}" does not exist` });
  }
  return profile;
}

function findEncoder(model: CameraModel, token: string | undefined): StreamProfile {
  const profile = model.profiles.find((p) => p.encoderToken === token);
  if (!profile) {
    throw new SoapFaultError({ code: 'Sender', subcodes: [ter('InvalidArgVal'), ter('NoConfig')], reason: `the video encoder configuration "${token ?? ''}" does not exist` });
  }
  return profile;
}

/** The encoder settings a profile offers: the simulated encoders are fixed, so each range is its one value. */
function encoderOptions(profiles: readonly StreamProfile[]): XmlContent {
  const range = (name: string, min: number, max: number) => tt(name, [tt('Min', min), tt('Max', max)]);
  const govs = profiles.map((p) => p.video.govLength);
  const fps = profiles.map((p) => Math.max(1, Math.round(p.video.fps)));
  return [
    range('QualityRange', 5, 5),
    tt('H264', [
      profiles.map((p) => tt('ResolutionsAvailable', [tt('Width', p.video.width), tt('Height', p.video.height)])),
      range('GovLengthRange', Math.min(...govs), Math.max(...govs)),
      range('FrameRateRange', Math.min(...fps), Math.max(...fps)),
      range('EncodingIntervalRange', 1, 1),
      [...new Set(profiles.map((p) => p.video.h264Profile))].map((h) => tt('H264ProfilesSupported', h)),
    ]),
  ];
}

function profileElement(model: CameraModel, profile: StreamProfile, name: 'Profiles' | 'Profile'): XmlContent {
  const vsc = videoSourceConfiguration(model);
  const vec = videoEncoderConfiguration(profile);
  return trt(name, { token: profile.token, fixed: true }, [tt('Name', profile.name), tt('VideoSourceConfiguration', vsc.attrs, vsc.content), tt('VideoEncoderConfiguration', vec.attrs, vec.content)]);
}

/** Media service operations (ver10/media/wsdl) of a simulated camera. */
export function mediaOperations(model: CameraModel): SoapOperation[] {
  const host = (ctx: SoapRequestContext) => advertisedHost(model, ctx.localAddress);
  const op = (local: string, access: SoapOperation['access'], handle: SoapOperation['handle']): SoapOperation => ({ uri: NS.trt, local, access, handle });
  return [
    op('GetServiceCapabilities', 'PRE_AUTH', () => {
      const [attrs, content] = mediaServiceCapabilities(model);
      return trt('GetServiceCapabilitiesResponse', trt('Capabilities', attrs, content));
    }),
    op('GetProfiles', 'READ_MEDIA', () => trt('GetProfilesResponse', model.profiles.map((p) => profileElement(model, p, 'Profiles')))),
    op('GetProfile', 'READ_MEDIA', (ctx) => trt('GetProfileResponse', profileElement(model, findProfile(model, ctx.operation.childText(NS.trt, 'ProfileToken')), 'Profile'))),
    op('GetVideoSources', 'READ_MEDIA', () => {
      const source = videoSource(model);
      return trt('GetVideoSourcesResponse', trt('VideoSources', source.attrs, source.content));
    }),
    op('GetVideoSourceConfigurations', 'READ_MEDIA', () => {
      const vsc = videoSourceConfiguration(model);
      return trt('GetVideoSourceConfigurationsResponse', trt('Configurations', vsc.attrs, vsc.content));
    }),
    op('GetVideoEncoderConfigurations', 'READ_MEDIA', () =>
      trt(
        'GetVideoEncoderConfigurationsResponse',
        model.profiles.map((p) => {
          const vec = videoEncoderConfiguration(p);
          return trt('Configurations', vec.attrs, vec.content);
        }),
      ),
    ),
    op('GetVideoEncoderConfiguration', 'READ_MEDIA', (ctx) => {
      const vec = videoEncoderConfiguration(findEncoder(model, ctx.operation.childText(NS.trt, 'ConfigurationToken')));
      return trt('GetVideoEncoderConfigurationResponse', trt('Configuration', vec.attrs, vec.content));
    }),
    op('GetVideoEncoderConfigurationOptions', 'READ_MEDIA', (ctx) => {
      const configuration = ctx.operation.childText(NS.trt, 'ConfigurationToken');
      const profile = ctx.operation.childText(NS.trt, 'ProfileToken');
      const profiles = configuration ? [findEncoder(model, configuration)] : profile ? [findProfile(model, profile)] : model.profiles;
      return trt('GetVideoEncoderConfigurationOptionsResponse', trt('Options', { GuaranteedFrameRateSupported: false }, encoderOptions(profiles)));
    }),
    op('GetStreamUri', 'READ_MEDIA', (ctx) => {
      const profile = findProfile(model, ctx.operation.childText(NS.trt, 'ProfileToken'));
      const setup = ctx.operation.child(NS.trt, 'StreamSetup');
      const stream = setup?.childText(NS.tt, 'Stream') ?? 'RTP-Unicast';
      const protocol = setup?.find([NS.tt, 'Transport'], [NS.tt, 'Protocol'])?.text.trim() ?? 'RTSP';
      if (stream !== 'RTP-Unicast' || !['RTSP', 'UDP', 'TCP', 'HTTP'].includes(protocol)) {
        throw new SoapFaultError({
          code: 'Sender',
          subcodes: [ter('InvalidArgVal'), ter('InvalidStreamSetup')],
          reason: `${stream} over ${protocol} is not offered: use RTP-Unicast over RTSP, UDP, TCP or HTTP`,
        });
      }
      return trt('GetStreamUriResponse', trt('MediaUri', mediaUri(streamUrl(model, host(ctx), profile, protocol === 'HTTP' ? 'http' : 'rtsp'))));
    }),
    op('GetSnapshotUri', 'READ_MEDIA', (ctx) => {
      const profile = findProfile(model, ctx.operation.childText(NS.trt, 'ProfileToken'));
      return trt('GetSnapshotUriResponse', trt('MediaUri', mediaUri(snapshotUrl(model, host(ctx), profile))));
    }),
  ];
}
