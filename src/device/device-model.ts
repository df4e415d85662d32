import type { DeviceBackend, DeviceVideoSource } from './backend.js';
import { senderFault } from './faults.js';
import type { TopicPattern } from './topic-filter.js';

/** The ONVIF tokens of one analysed camera: its video source and the configurations of its one media profile. */
export interface SourceView extends DeviceVideoSource {
  profileToken: string;
  videoSourceConfigurationToken: string;
  encoderToken: string;
  metadataToken: string;
  analyticsToken: string;
}

/** A metadata configuration as a client set it (SetMetadataConfiguration), kept so that Get returns what was Set. */
export interface MetadataSettings {
  name: string;
  analytics: boolean;
  /** Topics of the events carried in the metadata stream: undefined = no events, [] = every event (Events without a Filter). */
  events: TopicPattern[] | undefined;
  compressionType: string;
  sessionTimeout: string;
}

/** An analytics module of a video analytics configuration (tt:Config). */
export interface AnalyticsModule {
  name: string;
  /** Module type as a QName local name in the tt namespace (`ObjectDetection`). */
  type: string;
  items: Array<[string, string]>;
}

export const DETECTOR_MODULE: AnalyticsModule = { name: 'ObjectDetector', type: 'ObjectDetection', items: [] };

/**
 * The device as ONVIF sees it: one video source and one media profile per analysed camera (from the backend, read at
 * each call so cameras coming and going show up at once), plus the settings clients change through Media2 and
 * the Analytics service, kept in memory per camera.
 */
export class DeviceModel {
  private readonly metadata = new Map<string, MetadataSettings>();
  private readonly attached = new Map<string, { metadata: boolean; analytics: boolean }>();
  private readonly modules = new Map<string, AnalyticsModule[]>();

  constructor(readonly backend: DeviceBackend) {}

  sources(): SourceView[] {
    return this.backend.videoSources().map((s) => ({
      ...s,
      profileToken: `profile_${s.token}`,
      videoSourceConfigurationToken: `vsc_${s.token}`,
      encoderToken: `enc_${s.token}`,
      metadataToken: `meta_${s.token}`,
      analyticsToken: `vac_${s.token}`,
    }));
  }

  sourceByCamera(cameraId: string): SourceView | undefined {
    return this.sources().find((s) => s.cameraId === cameraId);
  }

  profile(token: string | undefined): SourceView {
    const found = this.sources().find((s) => s.profileToken === token);
    if (!found) throw senderFault(`the media profile "${token ?? ''}" does not exist: GetProfiles lists them`, 'InvalidArgVal', 'NoProfile');
    return found;
  }

  /** The source owning a configuration token of the given kind, or a `NoConfig` fault. */
  configuration(kind: 'videoSource' | 'metadata' | 'analytics' | 'encoder', token: string | undefined): SourceView {
    const field = { videoSource: 'videoSourceConfigurationToken', metadata: 'metadataToken', analytics: 'analyticsToken', encoder: 'encoderToken' } as const;
    const found = this.sources().find((s) => s[field[kind]] === token);
    if (!found) throw senderFault(`the ${kind} configuration "${token ?? ''}" does not exist`, 'InvalidArgVal', 'NoConfig');
    return found;
  }

  metadataSettings(source: SourceView): MetadataSettings {
    let settings = this.metadata.get(source.token);
    if (!settings) {
      settings = { name: `${source.name} metadata`, analytics: true, events: undefined, compressionType: 'None', sessionTimeout: 'PT60S' };
      this.metadata.set(source.token, settings);
    }
    return settings;
  }

  setMetadataSettings(source: SourceView, settings: MetadataSettings): void {
    this.metadata.set(source.token, settings);
  }

  /** Which optional configurations the camera's profile carries (both, until a client removes one). */
  attachments(source: SourceView): { metadata: boolean; analytics: boolean } {
    let a = this.attached.get(source.token);
    if (!a) {
      a = { metadata: true, analytics: true };
      this.attached.set(source.token, a);
    }
    return a;
  }

  analyticsModules(source: SourceView): AnalyticsModule[] {
    let list = this.modules.get(source.token);
    if (!list) {
      list = [{ ...DETECTOR_MODULE }];
      this.modules.set(source.token, list);
    }
    return list;
  }

  setAnalyticsModules(source: SourceView, modules: AnalyticsModule[]): void {
    this.modules.set(source.token, modules);
  }
}
