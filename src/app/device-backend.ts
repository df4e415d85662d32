import type { CameraRegistry } from '../cameras/index.js';
import type { RuleConfig, VigieConfig } from '../config/index.js';
import type { DeviceBackend } from '../device/index.js';
import type { AnalyticsEvent } from '../sdk/index.js';
import type { Store } from '../store/index.js';

/** The part of the analytics hub (contracts.md §4, `Analytics`) the ONVIF device uses. */
export interface DeviceAnalytics {
  rules(cameraId: string): RuleConfig[];
  /** `by`: who changes them (`onvif:<user>`), for the record kept over restarts. */
  setRules(cameraId: string, rules: RuleConfig[], by?: string): void;
  onEvent(listener: (e: AnalyticsEvent) => void): () => void;
  activeIncidents(cameraId?: string): AnalyticsEvent[];
}

/**
 * The ONVIF device's view of Vigie until the analytics hub is wired: video sources are the online cameras,
 * rules start from the configuration and are changed in memory (each change audited), and no events flow yet.
 * Given the analytics hub, rules and events are the hub's (`rules`/`setRules`, `onEvent`, `activeIncidents`).
 */
export function interimDeviceBackend(config: VigieConfig, registry: CameraRegistry, store: Store, analytics?: DeviceAnalytics): DeviceBackend {
  const rules = new Map<string, RuleConfig[]>(config.cameras.map((c) => [c.id, c.rules]));
  const check = (next: RuleConfig[]): void => {
    const enabled = new Set(config.rules.enabledEventTypes);
    const refused = next.filter((r) => !enabled.has(r.type));
    if (refused.length) throw new Error(`rule type(s) ${refused.map((r) => r.type).join(', ')} are not in rules.enabledEventTypes (mode ${config.rules.mode})`);
  };
  const audit = (cameraId: string, next: RuleConfig[], by: string | undefined): void => {
    store.audit.append({ actor: by ?? 'onvif', action: 'rules.changed', object: cameraId, details: { rules: next.map((r) => ({ name: r.name, type: r.type })) } });
  };
  return {
    videoSources: () =>
      registry
        .online()
        .filter((c) => c.stream)
        .map((c) => ({
          token: c.id,
          cameraId: c.id,
          name: c.name,
          width: c.stream?.width ?? 0,
          height: c.stream?.height ?? 0,
          framerate: c.stream?.fps ?? 25,
          rtspPath: `/cameras/${encodeURIComponent(c.id)}`,
        })),
    rules: analytics
      ? {
          list: (cameraId) => analytics.rules(cameraId),
          set: (cameraId, next, by) => {
            check(next);
            analytics.setRules(cameraId, next, by);
            audit(cameraId, next, by);
          },
        }
      : {
          list: (cameraId) => rules.get(cameraId) ?? registry.get(cameraId)?.config?.rules ?? [],
          set: (cameraId, next, by) => {
            check(next);
            rules.set(cameraId, next);
            audit(cameraId, next, by);
          },
        },
    events: analytics ? { subscribe: (listener) => analytics.onEvent(listener), active: () => analytics.activeIncidents() } : { subscribe: () => () => undefined, active: () => [] },
    rtspPort: () => config.server.rtspPort,
  };
}
