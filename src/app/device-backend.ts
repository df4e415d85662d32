import type { CameraRegistry } from '../cameras/index.js';
import type { RuleConfig, VigieConfig } from '../config/index.js';
import type { DeviceBackend } from '../device/index.js';
import type { Store } from '../store/index.js';

/**
 * The ONVIF device's view of Vigie until the analytics hub is wired: video sources are the online cameras,
 * rules start from the configuration and are changed in memory (each change audited), and no events flow yet.
 * The lead replaces `rules` and `events` with the analytics hub (`Analytics.rules/setRules/onEvent/activeIncidents`).
 */
export function interimDeviceBackend(config: VigieConfig, registry: CameraRegistry, store: Store): DeviceBackend {
  const rules = new Map<string, RuleConfig[]>(config.cameras.map((c) => [c.id, c.rules]));
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
    rules: {
      list: (cameraId) => rules.get(cameraId) ?? registry.get(cameraId)?.config?.rules ?? [],
      set: (cameraId, next) => {
        const enabled = new Set(config.rules.enabledEventTypes);
        const refused = next.filter((r) => !enabled.has(r.type));
        if (refused.length) throw new Error(`rule type(s) ${refused.map((r) => r.type).join(', ')} are not in rules.enabledEventTypes (mode ${config.rules.mode})`);
        rules.set(cameraId, next);
        store.audit.append({ actor: 'onvif', action: 'rules.changed', object: cameraId, details: { rules: next.map((r) => ({ name: r.name, type: r.type })) } });
      },
    },
    events: { subscribe: () => () => undefined, active: () => [] },
    rtspPort: () => config.server.rtspPort,
  };
}
