import { NS, xmlNamespace, type XmlAttributes, type XmlContent } from '../soap/index.js';
import { VIDEO_SOURCE_CONFIGURATION_TOKEN, VIDEO_SOURCE_TOKEN, type CameraModel, type StreamProfile } from './camera-model.js';

/** ONVIF schema types (tt:) shared by Media and Media2 answers: each gives the attributes and content of an element. */
export const tt = xmlNamespace('tt', NS.tt);

export interface ElementParts {
  attrs: XmlAttributes;
  content: XmlContent;
}

const SESSION_TIMEOUT = 'PT60S';

function multicast(): XmlContent {
  return tt('Multicast', [tt('Address', [tt('Type', 'IPv4'), tt('IPv4Address', '0.0.0.0')]), tt('Port', 0), tt('TTL', 1), tt('AutoStart', false)]);
}

export function videoSource(model: CameraModel): ElementParts {
  return {
    attrs: { token: VIDEO_SOURCE_TOKEN },
    content: [tt('Framerate', model.main.fps), tt('Resolution', [tt('Width', model.main.width), tt('Height', model.main.height)])],
  };
}

export function videoSourceConfiguration(model: CameraModel): ElementParts {
  return {
    attrs: { token: VIDEO_SOURCE_CONFIGURATION_TOKEN },
    content: [
      tt('Name', 'Camera video source'),
      tt('UseCount', model.profiles.length),
      tt('SourceToken', VIDEO_SOURCE_TOKEN),
      tt('Bounds', { x: 0, y: 0, width: model.main.width, height: model.main.height }),
    ],
  };
}

/** Media (ver10) tt:VideoEncoderConfiguration. */
export function videoEncoderConfiguration(profile: StreamProfile): ElementParts {
  const v = profile.video;
  return {
    attrs: { token: profile.encoderToken, GuaranteedFrameRate: false },
    content: [
      tt('Name', `${profile.name} encoder`),
      tt('UseCount', 1),
      tt('Encoding', 'H264'),
      tt('Resolution', [tt('Width', v.width), tt('Height', v.height)]),
      tt('Quality', 5),
      tt('RateControl', [tt('FrameRateLimit', Math.max(1, Math.round(v.fps))), tt('EncodingInterval', 1), tt('BitrateLimit', v.bitrateKbps)]),
      tt('H264', [tt('GovLength', v.govLength), tt('H264Profile', v.h264Profile)]),
      multicast(),
      tt('SessionTimeout', SESSION_TIMEOUT),
    ],
  };
}

/** Media2 (ver20) tt:VideoEncoder2Configuration. */
export function videoEncoder2Configuration(profile: StreamProfile): ElementParts {
  const v = profile.video;
  return {
    attrs: { token: profile.encoderToken, GovLength: v.govLength, Profile: v.h264Profile },
    content: [
      tt('Name', `${profile.name} encoder`),
      tt('UseCount', 1),
      tt('Encoding', 'H264'),
      tt('Resolution', [tt('Width', v.width), tt('Height', v.height)]),
      tt('RateControl', { ConstantBitRate: false }, [tt('FrameRateLimit', v.fps), tt('BitrateLimit', v.bitrateKbps)]),
      multicast(),
      tt('Quality', 5),
    ],
  };
}

export function mediaUri(uri: string): XmlContent {
  return [tt('Uri', uri), tt('InvalidAfterConnect', false), tt('InvalidAfterReboot', false), tt('Timeout', 'PT0S')];
}
