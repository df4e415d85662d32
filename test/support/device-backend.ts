import { randomUUID } from 'node:crypto';
import type { RuleConfig } from '../../src/config/index.js';
import type { DeviceBackend, DeviceVideoSource } from '../../src/device/index.js';
import type { AnalyticsEvent, EventType } from '../../src/sdk/index.js';

/**
 * A DeviceBackend for tests: two cameras, rules kept in memory (what `rules.set` received is recorded), and an
 * event source the test drives (`emit`), with open incidents tracked for `active()`.
 */
export class FakeDeviceBackend implements DeviceBackend {
  readonly sources: DeviceVideoSource[] = [
    { token: 'entrance', cameraId: 'entrance', name: 'Entrance', width: 1280, height: 720, framerate: 25, rtspPath: '/cameras/entrance' },
    { token: 'platform', cameraId: 'platform', name: 'Platform 2', width: 640, height: 480, framerate: 15, rtspPath: '/cameras/platform' },
  ];
  readonly ruleSets = new Map<string, RuleConfig[]>();
  readonly setCalls: Array<{ cameraId: string; rules: RuleConfig[]; by: string | undefined }> = [];
  readonly synchronized: string[] = [];
  /** When set, `rules.set` throws this message (Vigie refusing a rule, e.g. fr-vsa mode). */
  refuseRules: string | undefined;
  private readonly listeners = new Set<(e: AnalyticsEvent) => void>();
  private readonly open = new Map<string, AnalyticsEvent>();
  private sequence = 0;

  rules = {
    list: (cameraId: string): RuleConfig[] => this.ruleSets.get(cameraId) ?? [],
    set: (cameraId: string, rules: RuleConfig[], by?: string): void => {
      if (this.refuseRules) throw new Error(this.refuseRules);
      this.setCalls.push({ cameraId, rules, by });
      this.ruleSets.set(cameraId, rules);
    },
  };

  events = {
    subscribe: (listener: (e: AnalyticsEvent) => void): (() => void) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
    active: (): AnalyticsEvent[] => [...this.open.values()],
  };

  videoSources(): DeviceVideoSource[] {
    return this.sources;
  }

  rtspPort(): number {
    return 8555;
  }

  /** A JPEG for the first camera only (the second has no analysed picture yet). */
  snapshot(cameraId: string): Promise<Buffer | undefined> {
    return Promise.resolve(cameraId === 'entrance' ? Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]) : undefined);
  }

  synchronize(cameraId: string): void {
    this.synchronized.push(cameraId);
  }

  /** Raises an event message as the analytics hub would, and returns it. */
  emit(options: { cameraId: string; rule: string; type: EventType; state: AnalyticsEvent['state']; trackIds?: number[]; label?: string }): AnalyticsEvent {
    const key = `${options.cameraId}/${options.rule}`;
    const incidentId = this.open.get(key)?.incidentId ?? randomUUID();
    const now = new Date().toISOString();
    const event: AnalyticsEvent = {
      id: randomUUID(),
      incidentId,
      type: options.type,
      state: options.state,
      sequence: ++this.sequence,
      cameraId: options.cameraId,
      cameraName: options.cameraId,
      rule: { name: options.rule, type: options.type },
      frameTime: now,
      emittedAt: now,
      message: `${options.type} on ${options.rule}`,
      objects: (options.trackIds ?? [7]).map((trackId) => ({ trackId, label: options.label ?? 'person', score: 0.9, box: { x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.6 } })),
      counts: {},
      provenance: { model: { id: 'yolox-nano', sha256: '0'.repeat(64) }, thresholds: {}, ruleConfigSha256: '0'.repeat(64), software: 'test' },
    };
    if (options.state === 'end') this.open.delete(key);
    else this.open.set(key, event);
    for (const l of this.listeners) l(event);
    return event;
  }
}
