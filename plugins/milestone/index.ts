import { Socket } from 'node:net';
import {
  bodyExcerpt,
  definePlugin,
  EVENT_TYPES,
  httpTls,
  renderTemplate,
  SinkAuthError,
  SinkConfigError,
  SinkTimeoutError,
  SinkUnavailableError,
  statesField,
  templateField,
  throwForStatus,
  tlsField,
  z,
  type AnalyticsEvent,
  type DeliveryInfo,
  type PluginContext,
  type VmsSink,
} from '../../src/sdk/index.js';
import { analyticsEventXml, isGuid } from './analytics-event-xml.js';

const configSchema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/[^/]/i, { error: 'the Event Server analytics URL starts with http://, e.g. http://xprotect-es:9090/' })
    .describe("the Event Server's Analytics Events port, e.g. http://xprotect-es:9090/ (Management Client: Tools > Options > Analytics Events) (required)"),
  eventName: templateField(
    'EventHeader/Message: must equal, character for character, an Analytics Event defined in the Management Client (Rules and Events > Analytics Events)',
    'Vigie: {title}',
  ),
  eventNames: z
    .partialRecord(z.enum(EVENT_TYPES), z.string().min(1))
    .default({})
    .describe('per event type, an Analytics Event name overriding eventName, e.g. { intrusion: "Vigie intrusion" }'),
  sources: z
    .record(z.string(), z.string().min(1))
    .default({})
    .describe('per Vigie camera id, the XProtect camera: its GUID (sent as Source/FQID) or its name or address (Source/Name); unmapped cameras are sent by name'),
  customTag: z.string().default('vigie').describe('EventHeader/CustomTag, for filtering alarms in Smart Client; empty = none'),
  priority: z.number().int().min(0).max(65535).optional().describe('EventHeader/Priority; unset = the alarm definition decides'),
  location: z.string().default('').describe('Location element; empty = the camera name'),
  snapshot: z.boolean().default(false).describe('attach the evidence snapshot (base64 JPEG) to the event; XProtect does not need it when the source is a camera'),
  states: statesField(['start'], 'each message raises its own event in XProtect, so the default sends the start only'),
  tls: tlsField(),
});

type MilestoneConfig = z.output<typeof configSchema>;

const NOT_KNOWN = /event message not known/i;

class MilestoneSink implements VmsSink {
  constructor(
    private readonly config: MilestoneConfig,
    private readonly context: PluginContext,
  ) {}

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    if (!this.config.states.includes(event.state)) return { skipped: `${event.state} messages are not sent (states setting)` };
    const message = this.eventName(event);
    const mapped = this.config.sources[event.cameraId];
    const source = mapped ? (isGuid(mapped) ? { fqid: mapped } : { name: mapped }) : { name: event.cameraName || event.cameraId };
    const snapshot = this.config.snapshot && event.evidence ? await this.context.loadSnapshot(event.evidence.snapshotId) : undefined;
    const xml = analyticsEventXml(event, { message, source, customTag: this.config.customTag, priority: this.config.priority, location: this.config.location, snapshot });
    const response = await this.context.http.request({
      method: 'POST',
      url: this.config.url,
      headers: { 'content-type': 'text/xml', connection: 'keep-alive' },
      body: xml,
      signal: delivery.signal,
      tls: httpTls(this.config.tls),
    });
    const where = `Milestone Event Server ${new URL(this.config.url).host}`;
    if (response.status === 403) {
      throw new SinkAuthError(`${where} refused the connection (HTTP 403): Vigie's address is not allowed to send Analytics Events`, {
        status: 403,
        hint: "Management Client > Tools > Options > Analytics Events: enable the port and add Vigie's address to the allowed addresses",
      });
    }
    throwForStatus(response, { what: where, notFoundHint: `check ${this.context.configPath}.url: the Event Server's Analytics Events port (default 9090)` });
    if (NOT_KNOWN.test(response.body)) {
      throw new SinkConfigError(`${where} does not know the Analytics Event "${message}" (it answered "${bodyExcerpt(response.body)}"): the event was not raised`, {
        hint: `in the Management Client, Rules and Events > Analytics Events > Add New, name it exactly "${message}"; or set ${this.context.configPath}.eventName (or eventNames.${event.type}) to an existing Analytics Event`,
      });
    }
    if (/^\s*(warning|error)\b/i.test(response.body)) {
      throw new SinkConfigError(`${where} did not raise the event: "${bodyExcerpt(response.body)}"`, {
        hint: `check the Analytics Event "${message}" and the source camera in the Management Client`,
      });
    }
    return { detail: `HTTP ${response.status}${response.body.trim() ? ` ${bodyExcerpt(response.body)}` : ''}` };
  }

  /** A TCP connection to the analytics port: proves the port is enabled and reachable without raising an event. */
  check(signal: AbortSignal): Promise<string> {
    const url = new URL(this.config.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      signal.addEventListener('abort', () => fail(new SinkTimeoutError(`Milestone Event Server ${url.host} did not accept a connection in time`)), { once: true });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          new SinkUnavailableError(`cannot connect to the Milestone Event Server at ${url.host}: ${error.code ?? error.message}`, {
            hint: 'enable the Analytics Events port (Management Client > Tools > Options > Analytics Events) and check the url',
          }),
        ),
      );
      socket.connect(port, url.hostname, () => {
        socket.end();
        resolve(`the Analytics Events port ${url.host} accepts connections (event names are checked on the first event)`);
      });
    });
  }

  private eventName(event: AnalyticsEvent): string {
    return this.config.eventNames[event.type] ?? renderTemplate(this.config.eventName, event);
  }
}

export default definePlugin({
  manifest: {
    id: 'milestone',
    outputType: 'milestone',
    title: 'Milestone XProtect (Analytics Events)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      "POSTs an Analytics Event XML document (urn:milestone-systems) to the Event Server's analytics port (default 9090), with the objects' boxes drawn on the alarm. The event name must be defined in the Management Client.",
    capabilities: ['bounding-boxes', 'snapshots', 'idempotency-key', 'active-check'],
  },
  configSchema,
  createSink: (config, context) => new MilestoneSink(config, context),
});
