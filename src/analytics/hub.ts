import { createHash } from 'node:crypto';
import { ruleSchema, type RuleConfig, type VigieConfig } from '../config/index.js';
import { RuleRefusedError } from '../errors/index.js';
import { buildEvent, cropLetterbox, EvidenceStore, IncidentTracker, ruleConfigHash, type IncidentTransition, type Picture } from '../events/index.js';
import type { Frame } from '../frames/index.js';
import type { Logger } from '../logging/index.js';
import { createRule, type AvailableModel, type Rule } from '../rules/index.js';
import type { AnalyticsEvent, EventSink, FrameDetections, TrackedObject } from '../sdk/index.js';
import { canonicalJson, type AuditEntry, type Store, type StoredRules } from '../store/index.js';
import { Tracker, type TrackView } from '../tracking/index.js';
import type { Analytics, AnalyticsFrame } from './analytics.js';

export interface AnalyticsOptions {
  config: Pick<VigieConfig, 'cameras' | 'rules' | 'tracking' | 'inference'>;
  logger: Logger;
  /** Where events go (delivery.events); without it events only reach onEvent listeners. */
  sink?: EventSink;
  /** Evidence snapshots and the audit log; without it no snapshot is kept and nothing is audited. */
  store?: Store;
  /** The models Vigie runs, with their classes (a fire rule needs a fire model). */
  models: readonly AvailableModel[];
  /** Vigie's version, for provenance. */
  software: string;
  /** Camera names for events; default: the configured name, else the id. */
  cameraName?: (cameraId: string) => string;
}

interface RuleSlot {
  rule: Rule;
  hash: string;
  incidents: IncidentTracker;
}

interface CameraState {
  tracker: Tracker;
  slots: RuleSlot[];
  sequence: number;
  chain: Promise<unknown>;
  /** incident id → evidence snapshot id (every message of an incident points at its start's snapshot). */
  snapshots: Map<string, string>;
}

interface Pending {
  slot: RuleSlot;
  transition: IncidentTransition;
  picture: Picture | undefined;
}

export function toTrackedObject(t: TrackView): TrackedObject {
  return { trackId: t.trackId, label: t.label, classId: t.classId, score: t.score, box: t.box, velocity: { ...t.velocity }, firstSeen: t.firstSeen, lastSeen: t.lastSeen, confirmed: t.confirmed };
}

const AUDIT_ACTION = { start: 'alert.raised', update: 'alert.updated', end: 'alert.ended' } as const;

/**
 * The analytics hub: one tracker and one set of rules per camera. `process` does tracking, rules and incident
 * timing synchronously on the call (so a frame buffer the caller reuses afterwards is no longer needed), then
 * stores evidence and publishes events on a per-camera chain, so one camera's events leave in order.
 */
export class AnalyticsHub implements Analytics {
  private readonly cameras = new Map<string, CameraState>();
  private readonly ruleConfigs = new Map<string, RuleConfig[]>();
  private readonly active = new Map<string, AnalyticsEvent>();
  private readonly frameListeners = new Set<(f: AnalyticsFrame) => void>();
  private readonly eventListeners = new Set<(e: AnalyticsEvent) => void>();
  private readonly evidence: EvidenceStore | undefined;
  private readonly detectorThresholds: Record<string, number> = {};
  private stopped = false;

  constructor(private readonly options: AnalyticsOptions) {
    const { config, store, logger } = options;
    if (store && config.rules.evidence.snapshot) {
      this.evidence = new EvidenceStore({ store, logger: logger.child({ component: 'evidence' }), retentionHours: config.rules.evidence.retentionHours, audit: config.rules.mode === 'fr-vsa' });
    }
    if (config.inference.scoreThreshold !== undefined) this.detectorThresholds.scoreThreshold = config.inference.scoreThreshold;
    if (config.inference.nmsIou !== undefined) this.detectorThresholds.nmsIou = config.inference.nmsIou;
  }

  /**
   * Sets every camera's rules: the configuration's (throws RuleRefusedError for the first that cannot run), or the
   * set last changed at run time (ONVIF) and kept in the store, unless the configuration's rules for that camera
   * were edited since; then starts the evidence retention.
   */
  start(): void {
    const { config, store, logger } = this.options;
    const stored = new Map<string, StoredRules>();
    for (const r of store?.rules.list() ?? []) stored.set(r.cameraId, r);
    const ids = new Set([...config.cameras.map((c) => c.id), ...stored.keys()]);
    for (const cameraId of ids) {
      const configured = this.configuredRules(cameraId);
      const configSha256 = rulesHash(configured);
      const kept = stored.get(cameraId);
      if (kept?.configSha256 === configSha256 && this.restore(kept)) continue;
      if (kept && kept.configSha256 !== configSha256) {
        logger.info(
          { camera: cameraId, changedBy: kept.changedBy, changedAt: new Date(kept.changedAt).toISOString() },
          `the configuration's rules for camera ${cameraId} were edited after they were last changed through ONVIF: the configuration's apply`,
        );
        store?.rules.delete(cameraId);
      }
      if (configured.length > 0) this.setRules(cameraId, configured, { audit: false, persist: false });
    }
    this.evidence?.start();
  }

  /** Applies a stored rule set; false (logged) when it no longer passes (e.g. the mode changed to fr-vsa). */
  private restore(kept: StoredRules): boolean {
    try {
      this.setRules(kept.cameraId, kept.rules as RuleConfig[], { audit: false, persist: false });
    } catch (error) {
      this.options.logger.error(
        { err: error, camera: kept.cameraId, changedBy: kept.changedBy },
        `the rules of camera ${kept.cameraId} last changed through ONVIF are refused now: the configuration's apply instead`,
      );
      return false;
    }
    this.options.logger.info(
      { camera: kept.cameraId, rules: kept.rules.length, changedBy: kept.changedBy, changedAt: new Date(kept.changedAt).toISOString() },
      `rules of camera ${kept.cameraId}: the set last changed through ONVIF (kept in the store) replaces the configuration's, unchanged since`,
    );
    return true;
  }

  /** The configuration's rules for a camera (none for a camera it does not list). */
  private configuredRules(cameraId: string): RuleConfig[] {
    return this.options.config.cameras.find((c) => c.id === cameraId)?.rules ?? [];
  }

  /** The evidence store, the SnapshotSource delivery plugins read; undefined without a store or with snapshots off. */
  get snapshots(): EvidenceStore | undefined {
    return this.evidence;
  }

  onFrame(listener: (f: AnalyticsFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onEvent(listener: (e: AnalyticsEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  rules(cameraId: string): RuleConfig[] {
    return [...(this.ruleConfigs.get(cameraId) ?? [])];
  }

  /**
   * Replaces a camera's rules. A change made while Vigie runs is kept in the store (`persist`, default true) so it
   * survives a restart; `by` names who made it (default `system`).
   */
  setRules(cameraId: string, rules: RuleConfig[], options: { audit?: boolean; persist?: boolean; by?: string } = {}): void {
    const { config } = this.options;
    const parsed = rules.map((r, i) => {
      const result = ruleSchema.safeParse(r);
      if (result.success) return result.data;
      const name = typeof (r as { name?: unknown }).name === 'string' ? (r as { name: string }).name : `rules[${i}]`;
      const problems = result.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ');
      throw new RuleRefusedError(cameraId, name, `invalid rule: ${problems}`, 'correct the rule (coordinates normalised 0..1, durations in seconds); `vigie config check` explains every field');
    });
    const names = new Set<string>();
    for (const r of parsed) {
      if (names.has(r.name)) throw new RuleRefusedError(cameraId, r.name, 'the name is used by another rule of this camera', 'give each rule of a camera its own name');
      names.add(r.name);
    }
    const context = { cameraId, mode: config.rules.mode, enabledEventTypes: config.rules.enabledEventTypes, models: this.options.models };
    const built = parsed.filter((r) => r.enabled).map((r) => ({ rule: createRule(r, context), hash: ruleConfigHash(r) }));
    this.ruleConfigs.set(cameraId, parsed);
    const state = this.cameras.get(cameraId);
    if (state) {
      const old = new Map(state.slots.map((s) => [`${s.rule.name}:${s.hash}`, s]));
      const slots: RuleSlot[] = built.map((b) => old.get(`${b.rule.name}:${b.hash}`) ?? { rule: b.rule, hash: b.hash, incidents: this.incidentsFor(b.rule) });
      const removed = state.slots.filter((s) => !slots.includes(s));
      state.slots = slots;
      const ends: Pending[] = removed.flatMap((slot) => slot.incidents.closeAll().map((transition) => ({ slot, transition, picture: undefined })));
      if (ends.length > 0) void this.enqueue(cameraId, state, ends, Date.now());
    }
    if (options.audit !== false && this.options.store) {
      this.options.store.audit.append({ actor: options.by ?? 'system', action: 'rules.changed', object: cameraId, details: { rules: parsed.map((r) => ({ name: r.name, type: r.type, sha256: ruleConfigHash(r) })) } });
    }
    if (options.persist !== false && this.options.store) {
      try {
        this.options.store.rules.put({ cameraId, rules: parsed, configSha256: rulesHash(this.configuredRules(cameraId)), changedAt: Date.now(), changedBy: options.by ?? 'system' });
      } catch (error) {
        this.options.logger.error({ err: error, camera: cameraId }, `the new rules of camera ${cameraId} apply but could not be stored: they will not survive a restart`);
      }
    }
    this.options.logger.info({ camera: cameraId, rules: parsed.map((r) => `${r.name} (${r.type})`) }, 'rules set');
  }

  activeIncidents(cameraId?: string): AnalyticsEvent[] {
    return [...this.active.values()].filter((e) => cameraId === undefined || e.cameraId === cameraId);
  }

  process(d: FrameDetections, frame?: Frame): Promise<AnalyticsFrame> {
    const state = this.camera(d.cameraId);
    const update = state.tracker.update(d);
    const input = { cameraId: d.cameraId, time: update.time, width: d.width, height: d.height, tracks: update.tracks };
    const pending: Pending[] = [];
    let picture: Picture | undefined;
    for (const slot of state.slots) {
      let observations;
      try {
        observations = slot.rule.evaluate(input);
      } catch (error) {
        this.options.logger.error({ err: error, camera: d.cameraId, rule: slot.rule.name }, 'rule evaluation failed (a bug): the frame is skipped for this rule');
        continue;
      }
      for (const transition of slot.incidents.step(update.time, observations)) {
        let pic: Picture | undefined;
        if (transition.state === 'start' && frame && this.evidence) {
          // copied now: the caller may reuse the frame buffer once this returns
          picture ??= cropLetterbox(frame);
          pic = { ...picture, data: Buffer.from(picture.data) };
        }
        pending.push({ slot, transition, picture: pic });
      }
    }
    const tracks = update.reported.map(toTrackedObject);
    const base = { cameraId: d.cameraId, sequence: d.sequence, captureTime: d.captureTime, width: d.width, height: d.height, tracks };
    return this.enqueue(d.cameraId, state, pending, update.time, d.model).then((events) => {
      const result: AnalyticsFrame = { ...base, events };
      for (const l of this.frameListeners) this.safely(() => l(result), 'a frame listener threw');
      return result;
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const [cameraId, state] of this.cameras) {
      const ends = state.slots.flatMap((slot) => slot.incidents.closeAll().map((transition) => ({ slot, transition, picture: undefined })));
      if (ends.length > 0) await this.enqueue(cameraId, state, ends, Date.now());
      await state.chain;
    }
    this.evidence?.stop();
  }

  private incidentsFor(rule: Rule): IncidentTracker {
    return new IncidentTracker({ debounceSeconds: rule.config.debounceSeconds, cooldownSeconds: rule.config.cooldownSeconds });
  }

  private camera(cameraId: string): CameraState {
    let state = this.cameras.get(cameraId);
    if (!state) {
      const { config } = this.options;
      if (!this.ruleConfigs.has(cameraId)) {
        const configured = config.cameras.find((c) => c.id === cameraId)?.rules ?? [];
        if (configured.length > 0) this.setRules(cameraId, configured, { audit: false });
      }
      const context = { cameraId, mode: config.rules.mode, enabledEventTypes: config.rules.enabledEventTypes, models: this.options.models };
      const slots = (this.ruleConfigs.get(cameraId) ?? [])
        .filter((r) => r.enabled)
        .map((r) => {
          const rule = createRule(r, context);
          return { rule, hash: ruleConfigHash(r), incidents: this.incidentsFor(rule) };
        });
      state = { tracker: new Tracker(config.tracking), slots, sequence: 0, chain: Promise.resolve(), snapshots: new Map() };
      this.cameras.set(cameraId, state);
    }
    return state;
  }

  private lastModel: { id: string; sha256: string } = { id: 'unknown', sha256: '' };

  /** Evidence, then events built, published in order, audited and announced; on the camera's chain. */
  private enqueue(cameraId: string, state: CameraState, pending: Pending[], time: number, model?: { id: string; sha256: string }): Promise<AnalyticsEvent[]> {
    if (model) this.lastModel = model;
    const usedModel = model ?? this.lastModel;
    const run = async (): Promise<AnalyticsEvent[]> => {
      const events: AnalyticsEvent[] = [];
      const audit: AuditEntry[] = [];
      for (const p of pending) {
        state.sequence = Math.max(state.sequence + 1, time);
        const event = buildEvent(p.slot.rule, p.transition, {
          cameraId,
          cameraName: this.cameraName(cameraId),
          frameTime: time,
          model: usedModel,
          detectorThresholds: this.detectorThresholds,
          software: this.options.software,
          sequence: state.sequence,
          mode: this.options.config.rules.mode,
        });
        if (p.picture && this.evidence) {
          const id = await this.evidence.capture(p.picture, { boxes: event.objects.map((o) => o.box), ...p.slot.rule.shape }, { cameraId, incidentId: event.incidentId, ruleName: p.slot.rule.name });
          if (id) state.snapshots.set(event.incidentId, id);
        }
        const snapshotId = state.snapshots.get(event.incidentId);
        if (snapshotId) event.evidence = { snapshotId, contentType: 'image/jpeg' };
        if (event.state === 'end') {
          state.snapshots.delete(event.incidentId);
          this.active.delete(event.incidentId);
        } else this.active.set(event.incidentId, event);
        if (this.options.sink) {
          try {
            await this.options.sink.publish(event);
          } catch (error) {
            this.options.logger.error({ err: error, camera: cameraId, event: event.id, type: event.type }, 'event not published');
          }
        }
        if (this.options.config.rules.mode === 'fr-vsa') {
          audit.push({ actor: 'system', action: AUDIT_ACTION[event.state], object: event.id, details: { camera: cameraId, type: event.type, frCode: event.frCode ?? null, incident: event.incidentId, rule: event.rule.name, frameTime: event.frameTime, model: event.provenance.model, ruleConfigSha256: event.provenance.ruleConfigSha256, software: event.provenance.software } });
        }
        events.push(event);
      }
      if (audit.length > 0 && this.options.store) {
        try {
          this.options.store.audit.appendMany(audit);
        } catch (error) {
          this.options.logger.error({ err: error, camera: cameraId }, 'alerts not written to the audit log');
        }
      }
      for (const e of events) for (const l of this.eventListeners) this.safely(() => l(e), 'an event listener threw');
      return events;
    };
    const next = state.chain.then(run, run);
    state.chain = next.catch(() => undefined);
    return next;
  }

  private cameraName(cameraId: string): string {
    if (this.options.cameraName) return this.options.cameraName(cameraId);
    const c = this.options.config.cameras.find((x) => x.id === cameraId);
    return c?.name || cameraId;
  }

  private safely(work: () => void, message: string): void {
    try {
      work();
    } catch (error) {
      this.options.logger.error({ err: error }, message);
    }
  }
}

/** Builds the analytics hub and checks its configured rules (RuleRefusedError for one that cannot run). */
/** sha256 of a rule list in canonical JSON: tells whether a camera's configured rules changed. */
function rulesHash(rules: readonly RuleConfig[]): string {
  return createHash('sha256').update(canonicalJson(rules)).digest('hex');
}

export function startAnalytics(options: AnalyticsOptions): AnalyticsHub {
  const hub = new AnalyticsHub(options);
  hub.start();
  return hub;
}
