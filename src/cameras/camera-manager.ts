import type { CameraConfig, VigieConfig } from '../config/index.js';
import type { DiscoveredDevice, DiscoveryMonitor } from '../discovery/index.js';
import { CameraUnreachableError, NotOnvifEndpointError, OnvifAuthError, OnvifMalformedResponseError, SecretKeyError, isVigieError } from '../errors/index.js';
import { cameraLogger, type Logger } from '../logging/index.js';
import { OnvifSession, onboardDevice, streamUrlWithCredentials, type AuthMode, type ModelInput, type OnboardingReport, type OnvifCredentials, type VendorProfiles } from '../onvif/index.js';
import type { CameraRecord, LoadedCameraRecord, Store } from '../store/index.js';
import type { CameraEntry, CameraState } from './camera-entry.js';
import { discoveredCameraId } from './camera-id.js';
import type { CameraRegistry } from './camera-registry.js';

export interface CameraManagerOptions {
  config: VigieConfig;
  store: Store;
  registry: CameraRegistry;
  logger: Logger;
  vendors: VendorProfiles;
  /** The detection model's input size: the profile analysed is the smallest stream at or above it. */
  modelInput: ModelInput;
  /** WS-Discovery, when discovery.auto is on: its Hello, Bye and probe answers drive onboarding. */
  monitor?: DiscoveryMonitor;
  /** Most onboardings at once. @defaultValue 4 */
  concurrency?: number;
}

interface Tracked {
  record: CameraRecord;
  /** Set when the stored password could not be read (no key, wrong key). */
  passwordUnreadable?: 'no-key' | 'wrong-key';
  config?: CameraConfig;
  lastAttempt: number;
}

const AUTH_MODES: readonly AuthMode[] = ['ws-security', 'http-digest', 'none'];

function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch (_error) {
    return undefined; // not a URL: matches nothing
  }
}

function credentialKey(c: OnvifCredentials | undefined): string {
  return c ? `${c.username}\u0000${c.password}` : '';
}

/**
 * Keeps the camera registry true: configured cameras (RTSP at once, ONVIF once onboarded), cameras found by
 * WS-Discovery when discovery.auto is on (Hello and probe answers onboard them with the site credentials, tried in
 * order; Bye marks them offline), periodic health checks (a failed one marks the camera offline; an offline camera
 * that answers again is onboarded again), and the store (state, identity and encrypted credentials kept across
 * restarts; every state change audited). Background work never throws: failures become camera states and logs.
 */
export class CameraManager {
  private readonly tracked = new Map<string, Tracked>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly queue: Array<() => void> = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Cuts onboardings and checks in flight on stop, so shutting down never waits for a camera. */
  private readonly shutdown = new AbortController();
  private readonly log: Logger;
  private readonly siteCredentials: OnvifCredentials[];

  constructor(private readonly options: CameraManagerOptions) {
    this.log = options.logger;
    this.siteCredentials = options.config.discovery.credentials.map((c) => ({ username: c.username, password: c.password }));
  }

  /** Registers the configured cameras, restores the discovered ones, starts onboarding, discovery and health checks. */
  async start(): Promise<void> {
    const { config, store, registry } = this.options;
    const now = new Date().toISOString();
    const configuredIds = new Set(config.cameras.map((c) => c.id));
    const stored = new Map(store.cameras.list().map((r) => [r.cameraId, r]));
    this.reportUnreadable([...stored.values()]);

    for (const camera of config.cameras) {
      if (!camera.enabled) continue;
      if (camera.rtsp) {
        registry.set({ id: camera.id, name: camera.name || camera.id, origin: 'config', kind: 'rtsp', state: 'online', since: now, stream: { uri: stripCredentials(camera.rtsp), url: camera.rtsp }, config: camera });
        continue;
      }
      if (!camera.onvif) continue;
      const previous = stored.get(camera.id);
      const sameDevice = previous?.origin === 'config' && previous.xaddr === camera.onvif.url;
      const record: CameraRecord = {
        ...(sameDevice ? previous : {}),
        cameraId: camera.id,
        origin: 'config',
        xaddr: camera.onvif.url,
        name: camera.name || camera.id,
        scopes: sameDevice ? previous.scopes : [],
        state: 'pending',
        stateReason: 'onboarding',
        stateSince: now,
        firstSeen: sameDevice ? previous.firstSeen : now,
        lastSeen: sameDevice ? previous.lastSeen : now,
        password: undefined,
      };
      if (!sameDevice) delete record.endpoint;
      this.track({ record, config: camera, lastAttempt: 0 });
      this.schedule(camera.id, 'configured camera');
    }
    for (const previous of stored.values()) {
      if (previous.origin !== 'discovery') continue;
      if (configuredIds.has(previous.cameraId)) {
        this.log.warn({ camera: previous.cameraId }, 'a discovered camera has the id of a configured camera: the configured one is used');
        continue;
      }
      const record: CameraRecord = { ...previous, state: 'pending', stateReason: 'restored after a restart: checking', stateSince: now };
      const unreadable = previous.passwordStatus === 'no-key' || previous.passwordStatus === 'wrong-key' ? previous.passwordStatus : undefined;
      this.track({ record, lastAttempt: 0, passwordUnreadable: unreadable });
      this.schedule(previous.cameraId, 'restored');
    }
    const auto = this.options.monitor;
    if (auto) {
      if (this.siteCredentials.length === 0) this.log.warn('discovery.auto is on but discovery.credentials is empty: discovered cameras are onboarded without credentials, and most will refuse');
      auto.on('device', (device) => this.safely('discovered device', () => this.handleDevice(device)));
      auto.on('bye', (bye) => this.safely('Bye', () => this.handleBye(bye.endpoint)));
      await auto.start();
    }
    const every = config.discovery.healthCheckSeconds * 1000;
    this.timer = setInterval(() => this.safely('health check', () => this.healthCheck()), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.shutdown.abort(new Error('Vigie is stopping'));
    await this.options.monitor?.stop();
    await Promise.allSettled([...this.busy.values()]);
  }

  /** Resolves once no onboarding or check is queued or running (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }

  /** A device announced itself (Hello) or answered a probe. */
  handleDevice(device: DiscoveredDevice): void {
    if (this.stopped || !device.xaddr) {
      if (!device.xaddr) this.log.debug({ endpoint: device.endpoint, address: device.address }, 'discovered device without a device service address: ignored');
      return;
    }
    const now = new Date().toISOString();
    const known = this.byEndpoint(device.endpoint);
    if (known) {
      const moved = known.record.xaddr !== device.xaddr && known.record.origin === 'discovery';
      known.record.lastSeen = now;
      known.record.address = device.address;
      known.record.scopes = device.scopes;
      if (moved) {
        this.log.info({ camera: known.record.cameraId, from: known.record.xaddr, to: device.xaddr }, 'camera moved to another address');
        known.record.xaddr = device.xaddr;
      }
      this.persist(known);
      const state = known.record.state;
      if (state === 'online' && !moved) return;
      if (state === 'unauthorized' && device.via !== 'hello') return; // retried on Hello (reboot) or restart only: no lockouts
      if (device.via !== 'hello' && state !== 'online' && Date.now() - known.lastAttempt < this.options.config.discovery.healthCheckSeconds * 1000) return;
      this.schedule(known.record.cameraId, device.via === 'hello' ? 'Hello' : 'probe answer');
      return;
    }
    const configured = [...this.tracked.values()].find((t) => t.record.origin === 'config' && hostPort(t.record.xaddr) === hostPort(device.xaddr!));
    if (configured) {
      if (configured.record.endpoint !== device.endpoint) {
        configured.record.endpoint = device.endpoint;
        configured.record.scopes = device.scopes;
        this.persist(configured);
        this.log.debug({ camera: configured.record.cameraId, endpoint: device.endpoint }, 'discovered device is a configured camera');
      }
      if (device.via === 'hello' && configured.record.state !== 'online') this.schedule(configured.record.cameraId, 'Hello');
      return;
    }
    const taken = new Set([...this.tracked.keys(), ...this.options.config.cameras.map((c) => c.id)]);
    const id = discoveredCameraId(device.name ?? device.hardware, device.endpoint, taken);
    const record: CameraRecord = {
      cameraId: id,
      endpoint: device.endpoint,
      origin: 'discovery',
      xaddr: device.xaddr,
      address: device.address,
      name: device.name ?? device.hardware ?? device.address,
      scopes: device.scopes,
      state: 'pending',
      stateReason: 'onboarding',
      stateSince: now,
      firstSeen: now,
      lastSeen: now,
    };
    const tracked: Tracked = { record, lastAttempt: 0 };
    this.track(tracked);
    this.persist(tracked);
    this.audit('camera.discovered', id, { endpoint: device.endpoint, xaddr: device.xaddr, address: device.address, via: device.via, xaddrRewritten: device.xaddrRewritten });
    this.log.info({ camera: id, xaddr: device.xaddr, endpoint: device.endpoint, via: device.via }, 'ONVIF camera discovered');
    this.schedule(id, device.via === 'hello' ? 'Hello' : 'probe answer');
  }

  /** A device said Bye: it is offline until it is seen again. */
  handleBye(endpoint: string): void {
    const t = this.byEndpoint(endpoint);
    if (!t || this.stopped) return;
    if (t.record.state === 'online' || t.record.state === 'pending') this.setState(t, 'offline', 'the camera said Bye (WS-Discovery): it left the network or is restarting');
  }

  /** One round of health checks: online cameras must answer GetSystemDateAndTime; offline and failed ones are onboarded again. */
  healthCheck(): void {
    for (const t of this.tracked.values()) {
      const id = t.record.cameraId;
      if (this.busy.has(id)) continue;
      if (t.record.state === 'online') this.run(id, () => this.check(t));
      else if (t.record.state !== 'unauthorized') this.schedule(id, 'retry');
    }
  }

  private track(t: Tracked): void {
    this.tracked.set(t.record.cameraId, t);
    this.options.registry.set(this.entryOf(t));
  }

  private byEndpoint(endpoint: string): Tracked | undefined {
    for (const t of this.tracked.values()) if (t.record.endpoint === endpoint) return t;
    return undefined;
  }

  private safely(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log.error({ err: error }, `camera manager: ${what} failed`);
    }
  }

  private schedule(id: string, why: string): void {
    if (this.stopped || this.busy.has(id)) return;
    this.log.debug({ camera: id, why }, 'onboarding scheduled');
    this.run(id, () => this.onboard(id));
  }

  /** Runs one job per camera at a time, at most `concurrency` cameras at once; the job never rejects. */
  private run(id: string, job: () => Promise<void>): void {
    const done = new Promise<void>((resolve) => {
      const start = () => {
        this.running += 1;
        job()
          .catch((error: unknown) => this.log.error({ err: error, camera: id }, 'camera job failed'))
          .finally(() => {
            this.running -= 1;
            this.busy.delete(id);
            this.queue.shift()?.();
            resolve();
          });
      };
      if (this.running < (this.options.concurrency ?? 4)) start();
      else this.queue.push(start);
    });
    this.busy.set(id, done);
  }

  private candidates(t: Tracked): (OnvifCredentials | undefined)[] {
    const onvif = t.config?.onvif;
    if (onvif && onvif.username) return [{ username: onvif.username, password: onvif.password }];
    const list: OnvifCredentials[] = [];
    if (t.record.username !== undefined && t.record.password !== undefined) list.push({ username: t.record.username, password: t.record.password });
    for (const c of this.siteCredentials) if (!list.some((l) => credentialKey(l) === credentialKey(c))) list.push(c);
    return list.length ? list : [undefined];
  }

  private async onboard(id: string): Promise<void> {
    const t = this.tracked.get(id);
    if (!t || this.stopped) return;
    t.lastAttempt = Date.now();
    const log = cameraLogger(this.log, id);
    let url: URL;
    try {
      url = new URL(t.record.xaddr);
    } catch (_error) {
      this.setState(t, 'failed', `the device service URL "${t.record.xaddr}" is not a URL`);
      return;
    }
    let refusal: OnvifAuthError | undefined;
    for (const credentials of this.candidates(t)) {
      const sameUser = credentials?.username === t.record.username;
      const authMode = sameUser && AUTH_MODES.includes(t.record.authMode as AuthMode) ? (t.record.authMode as AuthMode) : undefined;
      try {
        const report = await onboardDevice({
          url,
          credentials,
          logger: log.child({ component: 'onvif' }),
          timeoutMs: this.options.config.discovery.callTimeoutSeconds * 1000,
          modelInput: this.options.modelInput,
          profile: t.config?.onvif?.profile,
          vendors: this.options.vendors,
          scopes: t.record.scopes,
          known: { authMode, clockOffsetMs: t.record.clockOffsetMs, vendor: t.record.vendor },
          signal: this.shutdown.signal,
        });
        if (this.stopped) return;
        this.apply(t, report, credentials);
        return;
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof OnvifAuthError) {
          refusal = error;
          log.debug({ user: credentials?.username }, 'credentials refused, trying the next');
          continue;
        }
        if (error instanceof CameraUnreachableError) this.setState(t, 'offline', error.message);
        else if (isVigieError(error)) this.setState(t, 'failed', `${error.message} (${error.code}); fix: ${error.hint ?? ''}`.trim());
        else {
          log.error({ err: error }, 'onboarding failed unexpectedly');
          this.setState(t, 'failed', 'internal error while onboarding (see the log)');
        }
        return;
      }
    }
    const tried = this.candidates(t).filter(Boolean).length;
    this.setState(t, 'unauthorized', `${refusal?.message ?? 'credentials refused'}${tried > 1 ? ` (${tried} credentials tried)` : ''}; fix: ${refusal?.hint ?? ''}`);
  }

  private apply(t: Tracked, report: OnboardingReport, credentials: OnvifCredentials | undefined): void {
    const r = t.record;
    const duplicate = r.origin === 'discovery' ? this.configuredTwin(report) : undefined;
    if (duplicate) {
      this.log.info({ camera: r.cameraId, configured: duplicate }, 'discovered camera is a configured camera (same serial number): the configured entry is kept');
      this.tracked.delete(r.cameraId);
      this.options.store.cameras.remove(r.cameraId);
      this.options.registry.delete(r.cameraId);
      return;
    }
    const id = report.identity;
    Object.assign(r, {
      manufacturer: id.manufacturer || undefined,
      model: id.model || undefined,
      firmware: id.firmwareVersion || undefined,
      serialNumber: id.serialNumber || undefined,
      hardwareId: id.hardwareId || undefined,
      vendor: report.vendor.id,
      authMode: report.auth.mode,
      clockOffsetMs: report.clock.offsetMs,
      username: credentials?.username,
      password: credentials?.password,
      lastSeen: new Date().toISOString(),
    });
    if (r.origin === 'discovery' && (!r.name || r.name === r.address) && (id.manufacturer || id.model)) r.name = [id.manufacturer, id.model].filter(Boolean).join(' ');
    t.passwordUnreadable = undefined;
    if (!report.chosen) {
      this.setState(t, 'failed', report.problem ? `${report.problem.message}; fix: ${report.problem.hint ?? ''}` : 'no usable media profile');
      return;
    }
    const p = report.chosen.profile;
    Object.assign(r, { profileToken: p.token, streamUri: p.streamUri, snapshotUri: p.snapshotUri, encoding: p.encoding, width: p.width, height: p.height, fps: p.fps, onboardedAt: new Date().toISOString() });
    this.setState(t, 'online', undefined, {
      xaddr: r.xaddr,
      vendor: report.vendor.id,
      authMode: report.auth.mode,
      user: credentials?.username ?? null,
      profile: p.token,
      stream: p.streamUri,
      size: p.width && p.height ? `${p.width}x${p.height}` : null,
      clockOffsetSeconds: report.clock.offsetMs === undefined ? null : Math.round(report.clock.offsetMs / 1000),
    });
  }

  /** The configured camera with the same manufacturer and serial number, if any. */
  private configuredTwin(report: OnboardingReport): string | undefined {
    const serial = report.identity.serialNumber;
    if (!serial) return undefined;
    for (const t of this.tracked.values()) {
      if (t.record.origin === 'config' && t.record.serialNumber === serial && t.record.manufacturer === (report.identity.manufacturer || undefined)) return t.record.cameraId;
    }
    return undefined;
  }

  /** Health check of an online camera: GetSystemDateAndTime must answer (and refreshes the clock offset). */
  private async check(t: Tracked): Promise<void> {
    const r = t.record;
    const session = new OnvifSession({
      deviceUrl: new URL(r.xaddr),
      credentials: r.username !== undefined && r.password !== undefined ? { username: r.username, password: r.password } : undefined,
      logger: cameraLogger(this.log, r.cameraId),
      timeoutMs: this.options.config.discovery.callTimeoutSeconds * 1000,
      authMode: AUTH_MODES.includes(r.authMode as AuthMode) ? (r.authMode as AuthMode) : undefined,
      clockOffsetMs: r.clockOffsetMs,
      signal: this.shutdown.signal,
    });
    try {
      const clock = await session.syncClock();
      if (this.stopped) return;
      if (clock.offsetMs !== undefined) r.clockOffsetMs = clock.offsetMs;
      r.lastSeen = new Date().toISOString();
      this.persist(t);
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof CameraUnreachableError || error instanceof NotOnvifEndpointError || error instanceof OnvifMalformedResponseError) {
        this.setState(t, 'offline', `health check failed: ${error.message}`);
      } else throw error;
    }
  }

  private setState(t: Tracked, state: CameraState, reason: string | undefined, details: Record<string, unknown> = {}): void {
    if (this.stopped) return;
    const r = t.record;
    const changed = r.state !== state || r.stateReason !== reason;
    const previous = r.state;
    r.state = state;
    r.stateReason = reason;
    if (changed) r.stateSince = new Date().toISOString();
    this.persist(t);
    this.options.registry.set(this.entryOf(t));
    if (previous === state && state !== 'online') return;
    const log = cameraLogger(this.log, r.cameraId);
    if (state === 'online') {
      if (previous !== 'online' || Object.keys(details).length) this.audit('camera.onboarded', r.cameraId, details);
      log.info({ stream: r.streamUri, profile: r.profileToken, xaddr: r.xaddr }, previous === 'online' ? 'camera stream refreshed' : 'camera onboarded');
    } else {
      this.audit(`camera.${state}`, r.cameraId, { reason: reason ?? null, xaddr: r.xaddr });
      log[state === 'pending' ? 'debug' : 'warn']({ reason, xaddr: r.xaddr }, `camera ${state}`);
    }
  }

  private persist(t: Tracked): void {
    if (this.stopped) return;
    try {
      this.options.store.cameras.save(t.record);
    } catch (error) {
      this.log.error({ err: error, camera: t.record.cameraId }, 'camera state could not be stored');
    }
  }

  private audit(action: string, object: string, details: Record<string, unknown>): void {
    if (this.stopped) return;
    try {
      this.options.store.audit.append({ actor: 'system', action, object, details });
    } catch (error) {
      this.log.error({ err: error, action }, 'audit record could not be written');
    }
  }

  private reportUnreadable(records: readonly LoadedCameraRecord[]): void {
    const noKey = records.filter((r) => r.passwordStatus === 'no-key').map((r) => r.cameraId);
    const wrongKey = records.filter((r) => r.passwordStatus === 'wrong-key').map((r) => r.cameraId);
    if (noKey.length) {
      this.log.warn({ cameras: noKey, code: 'SECRET_KEY_MISSING' }, 'camera passwords are stored encrypted but VIGIE_SECRET_KEY is not set: those cameras are onboarded with discovery.credentials; set the key used before to use their stored passwords');
    }
    if (wrongKey.length) {
      const error = new SecretKeyError('mismatch', `${wrongKey.length} stored camera password(s) were encrypted with another key (${wrongKey.join(', ')})`);
      this.log.error({ code: error.code, cameras: wrongKey, hint: error.hint }, error.message);
    }
  }

  private entryOf(t: Tracked): CameraEntry {
    const r = t.record;
    const credentials = r.username !== undefined && r.password !== undefined ? { username: r.username, password: r.password } : undefined;
    return {
      id: r.cameraId,
      name: t.config?.name || r.name || r.cameraId,
      origin: r.origin,
      kind: 'onvif',
      state: r.state,
      ...(r.stateReason ? { reason: r.stateReason } : {}),
      since: r.stateSince,
      ...(r.state === 'online' && r.streamUri
        ? { stream: { uri: r.streamUri, url: streamUrlWithCredentials(r.streamUri, credentials), profileToken: r.profileToken, encoding: r.encoding, width: r.width, height: r.height, fps: r.fps } }
        : {}),
      device: { xaddr: r.xaddr, endpoint: r.endpoint, address: r.address, manufacturer: r.manufacturer, model: r.model, serialNumber: r.serialNumber, vendor: r.vendor },
      ...(t.config ? { config: t.config } : {}),
    };
  }
}

/** An RTSP URL without its user:password part. */
export function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch (_error) {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
