import {
  bodyExcerpt,
  definePlugin,
  EVENT_TYPES,
  httpTls,
  renderTemplate,
  SinkConfigError,
  SinkUnavailableError,
  statesField,
  templateField,
  throwForStatus,
  tlsField,
  z,
  type AnalyticsEvent,
  type DeliveryInfo,
  type HttpResponse,
  type PluginContext,
  type VmsSink,
} from '../../src/sdk/index.js';

const GUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const guid = (what: string) => z.string().regex(GUID, { error: `${what} is a GUID such as 068680ab-5350-4ac7-a47e-652300b16252` });

const configSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^https?:\/\/[^/]/i, { error: 'the Web SDK url starts with http:// or https://, e.g. https://security-center:4590/WebSdk' })
      .describe('base URL of the Security Center Web SDK role, e.g. https://security-center:4590/WebSdk (required)'),
    username: z.string().min(1, { error: 'the Security Center user name is required' }).describe('Security Center user with the "Log on using the SDK" privilege (required)'),
    password: z.string().default('').describe("that user's password"),
    applicationId: z
      .string()
      .min(1, { error: 'the Application ID from your DAP SDK certificate is required' })
      .describe('Application ID of the SDK certificate (Genetec DAP); sent as "user;ApplicationId" in HTTP Basic (required)'),
    mode: z
      .enum(['custom-event', 'alarm'])
      .default('custom-event')
      .describe('custom-event: RaiseCustomEvent with the message (wire it to actions in Config Tool); alarm: TriggerAlarm of an existing Alarm entity'),
    customEventId: z.number().int().positive().optional().describe('id of the custom event defined in Config Tool (System > General settings > Custom events); required in custom-event mode'),
    customEventIds: z.partialRecord(z.enum(EVENT_TYPES), z.number().int().positive()).default({}).describe('per event type, a custom event id overriding customEventId'),
    alarmGuid: guid('alarmGuid').optional().describe('GUID of the Alarm entity to trigger; required in alarm mode'),
    cameraGuids: z.record(z.string(), guid('a camera GUID')).default({}).describe('per Vigie camera id, the GUID of the Security Center camera the event is raised on'),
    message: templateField('message raised with the custom event', '{title} on {cameraName}: {message}'),
    states: statesField(['start'], 'a custom event or alarm is instantaneous, so the default sends the start only'),
    tls: tlsField(),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'custom-event' && c.customEventId === undefined && Object.keys(c.customEventIds).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['customEventId'], message: 'custom-event mode needs customEventId: the id of a custom event defined in Config Tool' });
    }
    if (c.mode === 'alarm' && c.alarmGuid === undefined) {
      ctx.addIssue({ code: 'custom', path: ['alarmGuid'], message: 'alarm mode needs alarmGuid: the GUID of the Alarm entity to trigger' });
    }
  });

type GenetecConfig = z.output<typeof configSchema>;

/** The Web SDK answers `{"Rsp":{"Status":"Ok"|"Fail","Result":…}}` when asked for `text/json`. */
interface WebSdkAnswer {
  Rsp?: { Status?: string; Result?: unknown };
}

class GenetecSink implements VmsSink {
  private readonly base: string;

  constructor(
    private readonly config: GenetecConfig,
    private readonly context: PluginContext,
  ) {
    const url = new URL(config.url);
    const path = url.pathname.replace(/\/+$/, '');
    this.base = `${url.origin}${path === '' ? '/WebSdk' : path}`;
  }

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    if (!this.config.states.includes(event.state)) return { skipped: `${event.state} messages are not sent (states setting)` };
    const camera = this.config.cameraGuids[event.cameraId];
    if (!camera) {
      throw new SinkConfigError(`no Security Center camera GUID is mapped for camera "${event.cameraId}"`, {
        hint: `add it to ${this.context.configPath}.cameraGuids (Config Tool shows the GUID in the camera's Identity tab)`,
      });
    }
    if (this.config.mode === 'alarm') {
      const response = await this.call('GET', `${this.base}/alarm?q=${encodeURIComponent(`TriggerAlarm(${this.config.alarmGuid},${camera})`)}`, delivery.signal, 'TriggerAlarm');
      return { detail: `TriggerAlarm ${response}` };
    }
    const id = this.config.customEventIds[event.type] ?? this.config.customEventId!;
    const message = renderTemplate(this.config.message, event).slice(0, 500);
    const response = await this.call('POST', `${this.base}/events/RaiseCustomEvent/${id}/${camera}/${encodeURIComponent(message)}`, delivery.signal, `RaiseCustomEvent ${id}`);
    return { detail: `RaiseCustomEvent ${id} ${response}` };
  }

  /** Reads each mapped camera's entity: proves the credentials, the Application ID and the GUIDs, raising nothing. */
  async check(signal: AbortSignal): Promise<string> {
    const cameras = Object.entries(this.config.cameraGuids);
    if (cameras.length === 0) {
      await this.call('GET', `${this.base}/entity?q=${encodeURIComponent('entity=00000000-0000-0000-0000-000000000007,Name')}`, signal, 'entity lookup');
      return 'credentials accepted by the Web SDK (no camera GUIDs mapped yet)';
    }
    for (const [cameraId, guid] of cameras) {
      await this.call('GET', `${this.base}/entity?q=${encodeURIComponent(`entity=${guid},Name`)}`, signal, `camera ${cameraId} (${guid})`);
    }
    return `credentials accepted; ${cameras.length} camera GUID(s) found`;
  }

  private async call(method: 'GET' | 'POST', url: string, signal: AbortSignal, what: string): Promise<string> {
    const response = await this.context.http.request({
      method,
      url,
      headers: { accept: 'text/json' },
      auth: { scheme: 'basic', username: `${this.config.username};${this.config.applicationId}`, password: this.config.password },
      signal,
      tls: httpTls(this.config.tls),
    });
    const where = `Genetec Web SDK ${new URL(this.base).host} (${what})`;
    throwForStatus(response, {
      what: where,
      authHint: `check ${this.context.configPath}.username, password and applicationId: the user needs the "Log on using the SDK" privilege, and the Application ID comes from your DAP SDK certificate`,
      notFoundHint: `check ${this.context.configPath}.url: the Web SDK role's base URL, e.g. https://server:4590/WebSdk`,
    });
    return interpret(response, where, this.context.configPath);
  }
}

function interpret(response: HttpResponse, where: string, configPath: string): string {
  let answer: WebSdkAnswer;
  try {
    answer = JSON.parse(response.body) as WebSdkAnswer;
  } catch {
    throw new SinkUnavailableError(`${where} answered something that is not Web SDK JSON: ${bodyExcerpt(response.body)}`, {
      hint: `check that ${configPath}.url points at the Web SDK role`,
    });
  }
  const status = answer.Rsp?.Status;
  if (status === 'Ok') return 'Ok';
  const result = typeof answer.Rsp?.Result === 'string' ? answer.Rsp.Result : JSON.stringify(answer.Rsp?.Result ?? answer);
  throw new SinkConfigError(`${where} refused: ${status ?? 'no status'} ${bodyExcerpt(result)}`, {
    hint: 'check in Config Tool that the custom event id (or alarm) and the camera GUID exist and that the user may act on them',
  });
}

export default definePlugin({
  manifest: {
    id: 'genetec',
    outputType: 'genetec',
    title: 'Genetec Security Center (Web SDK)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      'Raises a custom event with a message on the mapped camera (Web SDK RaiseCustomEvent) or triggers an Alarm entity (TriggerAlarm), authenticating with HTTP Basic "user;ApplicationId".',
    capabilities: ['active-check'],
  },
  configSchema,
  createSink: (config, context) => new GenetecSink(config, context),
});
