import {
  bodyExcerpt,
  definePlugin,
  httpTls,
  renderTemplate,
  SinkAuthError,
  SinkConfigError,
  SinkRejectedError,
  statesField,
  templateField,
  throwForStatus,
  tlsField,
  z,
  type AnalyticsEvent,
  type DeliveryInfo,
  type EventState,
  type HttpRequest,
  type HttpResponse,
  type PluginContext,
  type VmsSink,
} from '../../src/sdk/index.js';

const configSchema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/[^/]/i, { error: 'the Nx server url is https://host:7001 (tokens need HTTPS)' })
    .describe('the Nx Witness / Hanwha WAVE / DW Spectrum server, e.g. https://nx-server:7001 (required)'),
  username: z.string().min(1, { error: 'the Nx user name is required' }).describe('a local Nx user allowed to generate events (required)'),
  password: z.string().default('').describe("that user's password"),
  api: z
    .enum(['auto', 'v4', 'legacy'])
    .default('auto')
    .describe('v4: POST /rest/v4/events/generic with a session token (Nx 5.0+); legacy: GET /api/createEvent with HTTP Digest (older servers; Hanwha: allow digest on the user); auto: v4, falling back to legacy when the server has no v4 API'),
  source: z.string().default('Vigie').describe('the generic event "source" field Nx rules can match (case-sensitive)'),
  caption: templateField('the generic event caption (rules can match it, case-sensitive)', '{title}'),
  description: templateField('the generic event description', '{message} ({cameraName}, rule {rule})'),
  cameraIds: z
    .record(z.string(), z.string().min(1))
    .default({})
    .describe('per Vigie camera id, the Nx camera id (its GUID or physical id) linked to the event; needed by rules that force acknowledgment'),
  states: statesField(['start', 'end'], 'start and end become Nx "started" and "stopped" (a prolonged event), update an "instant" one'),
  omitLogging: z.boolean().default(false).describe('ask Nx not to write these events to its event log (high-frequency events)'),
  tls: tlsField(),
});

type NxConfig = z.output<typeof configSchema>;

const NX_STATE: Record<EventState, string> = { start: 'started', update: 'instant', end: 'stopped' };

class NxSink implements VmsSink {
  private readonly origin: string;
  private token: string | undefined;
  private api: 'v4' | 'legacy' | undefined;
  private readonly warnedCameras = new Set<string>();

  constructor(
    private readonly config: NxConfig,
    private readonly context: PluginContext,
  ) {
    this.origin = new URL(config.url).origin;
    this.api = config.api === 'auto' ? undefined : config.api;
  }

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    if (!this.config.states.includes(event.state)) return { skipped: `${event.state} messages are not sent (states setting)` };
    const cameraRef = this.config.cameraIds[event.cameraId];
    if (!cameraRef && !this.warnedCameras.has(event.cameraId)) {
      this.warnedCameras.add(event.cameraId);
      this.context.logger.warn({ camera: event.cameraId }, `no Nx camera id mapped for camera ${event.cameraId}: events are sent without a camera (set ${this.context.configPath}.cameraIds)`);
    }
    const fields = {
      timestamp: String(Date.parse(event.frameTime)),
      source: this.config.source,
      caption: renderTemplate(this.config.caption, event),
      description: renderTemplate(this.config.description, event),
      state: NX_STATE[event.state],
    };
    if (this.api !== 'legacy') {
      const sent = await this.sendV4(fields, cameraRef, delivery.signal);
      if (sent) return sent;
    }
    return this.sendLegacy(fields, cameraRef, delivery.signal);
  }

  /** Logs in (v4) or reads the current user (legacy): proves credentials, raising nothing. */
  async check(signal: AbortSignal): Promise<string> {
    if (this.api !== 'legacy') {
      const token = await this.login(signal);
      if (token) return `logged in to ${this.origin} as ${this.config.username} (REST v4)`;
    }
    const response = await this.request({ url: `${this.origin}/api/getCurrentUser`, auth: { scheme: 'digest', username: this.config.username, password: this.config.password }, signal });
    throwForStatus(response, { what: `Nx server ${this.origin}`, authHint: this.authHint('legacy') });
    return `authenticated to ${this.origin} as ${this.config.username} (legacy API, Digest)`;
  }

  async stop(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (!token) return;
    try {
      await this.request({ method: 'DELETE', url: `${this.origin}/rest/v1/login/sessions/${encodeURIComponent(token)}`, auth: { scheme: 'bearer', token }, timeoutSeconds: 5 });
    } catch (error) {
      this.context.logger.debug({ err: error }, 'Nx session logout failed (the token expires by itself)');
    }
  }

  /** Returns undefined when the server has no v4 API and auto mode should fall back to legacy. */
  private async sendV4(fields: Record<string, string>, cameraRef: string | undefined, signal: AbortSignal) {
    const body = JSON.stringify({ ...fields, ...(cameraRef ? { deviceIds: [cameraRef] } : {}), ...(this.config.omitLogging ? { omitLogging: true } : {}) });
    for (let round = 0; round < 2; round++) {
      const token = this.token ?? (await this.login(signal));
      if (token === undefined) return undefined;
      const response = await this.request({
        method: 'POST',
        url: `${this.origin}/rest/v4/events/generic`,
        headers: { 'content-type': 'application/json' },
        body,
        auth: { scheme: 'bearer', token },
        signal,
      });
      if (response.status === 401 && round === 0) {
        this.token = undefined; // expired or revoked: log in again once
        continue;
      }
      if (response.status === 404 && this.config.api === 'auto') {
        this.useLegacy('the server has no /rest/v4/events/generic');
        return undefined;
      }
      throwForStatus(response, { what: `Nx server ${this.origin} (generic event)`, authHint: this.authHint('v4') });
      this.api = 'v4';
      return { detail: `HTTP ${response.status} (v4 ${fields.state})` };
    }
    throw new SinkAuthError(`Nx server ${this.origin} refused a fresh session token`, { hint: this.authHint('v4') });
  }

  private async sendLegacy(fields: Record<string, string>, cameraRef: string | undefined, signal: AbortSignal) {
    const query = new URLSearchParams(fields);
    if (cameraRef) query.set('metadata', JSON.stringify({ cameraRefs: [cameraRef] }));
    const response = await this.request({
      url: `${this.origin}/api/createEvent?${query.toString()}`,
      auth: { scheme: 'digest', username: this.config.username, password: this.config.password },
      signal,
    });
    throwForStatus(response, { what: `Nx server ${this.origin} (createEvent)`, authHint: this.authHint('legacy') });
    const answer = parseJson(response.body) as { error?: string | number; errorString?: string } | undefined;
    if (answer && answer.error !== undefined && String(answer.error) !== '0') {
      throw new SinkRejectedError(`Nx server ${this.origin} refused the event: ${answer.errorString || `error ${answer.error}`}`, {
        hint: `check ${this.context.configPath} (source, caption, cameraIds) against the server's rules`,
      });
    }
    return { detail: `HTTP ${response.status} (legacy ${fields.state})` };
  }

  /** A session token, or undefined when auto mode finds no v4 login (legacy server). */
  private async login(signal: AbortSignal): Promise<string | undefined> {
    const response = await this.request({
      method: 'POST',
      url: `${this.origin}/rest/v1/login/sessions`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.config.username, password: this.config.password, setCookie: false }),
      signal,
    });
    if (response.status === 404 && this.config.api === 'auto') {
      this.useLegacy('the server has no /rest/v1/login/sessions');
      return undefined;
    }
    throwForStatus(response, { what: `Nx server ${this.origin} (login)`, authHint: this.authHint('v4') });
    const token = (parseJson(response.body) as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) {
      throw new SinkConfigError(`Nx server ${this.origin} answered the login without a token: ${bodyExcerpt(response.body)}`, {
        hint: `check that ${this.context.configPath}.url points at the Nx server (port 7001)`,
      });
    }
    this.token = token;
    return token;
  }

  private useLegacy(reason: string): void {
    if (this.api !== 'legacy') this.context.logger.info({ server: this.origin }, `${reason}: using the legacy /api/createEvent with HTTP Digest`);
    this.api = 'legacy';
  }

  private request(request: HttpRequest): Promise<HttpResponse> {
    return this.context.http.request({ ...request, tls: httpTls(this.config.tls) });
  }

  private authHint(api: 'v4' | 'legacy'): string {
    return api === 'v4'
      ? `check ${this.context.configPath}.username and password (a local Nx user; cloud accounts cannot log in this way)`
      : `check ${this.context.configPath}.username and password; on Hanwha WAVE enable "Allow digest authentication" for that user`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export default definePlugin({
  manifest: {
    id: 'nx',
    outputType: 'nx',
    title: 'Nx Witness / Hanwha WAVE / DW Spectrum (generic events)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      'Raises a generic event (source, caption, description, linked camera) through POST /rest/v4/events/generic with a session token, or the legacy /api/createEvent with HTTP Digest; start and end become a prolonged event. A rule in the Nx Rules Engine acts on it.',
    capabilities: ['incident-state', 'active-check'],
  },
  configSchema,
  createSink: (config, context) => new NxSink(config, context),
});
