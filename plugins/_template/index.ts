/**
 * Template of an output plugin: copy this folder to plugins/x-<yourvms>/ (or to a folder listed in
 * delivery.pluginDirs), rename the output type below to `x-<yourvms>` (the folder name), and replace the HTTP call
 * with your VMS's API. Import nothing from Vigie but the SDK (src/sdk): `npm test` refuses anything else.
 *
 * The contract, in short:
 * - `configSchema` validates your output's own fields (and `url`); give every field `.describe()` and a default,
 *   or "(required)" in its description. `vigie config check` reports problems as outputs[N].<field>.
 * - `createSink` builds the sink and does no I/O; connect in `start()` if your VMS needs a connection.
 * - `deliver` resolves once the VMS has accepted the event, and otherwise throws the SDK error that says what the
 *   host should do: SinkUnavailableError (retry with backoff), SinkAuthError / SinkConfigError (hold the events
 *   and report the problem until it is fixed), SinkRejectedError (this event can never be accepted: dead letter).
 *   `throwForStatus` maps HTTP statuses for you. Pass `delivery.signal` to every I/O call: the host aborts it at
 *   the delivery timeout.
 * - Send `delivery.idempotencyKey` (the event id) if your VMS can deduplicate on it: a retried event may have
 *   reached the VMS the first time.
 * - Events of one camera come one at a time, in order; different cameras may be delivered concurrently.
 * - Errors of what your plugin runs in the background (a client's 'error' events, timers) are yours to handle and
 *   log: the host guards the calls it makes (start, deliver, check, stop), not your own callbacks.
 * - Events carry no identity or biometric data; keep it so (do not enrich them with any).
 * Then run the conformance suite on it (see test/template.test.ts) and add tests of your VMS's wire format.
 */
import { definePlugin, httpTls, renderTemplate, templateField, throwForStatus, tlsField, z, type AnalyticsEvent, type DeliveryInfo, type PluginContext, type VmsSink } from '../../src/sdk/index.js';

const configSchema = z.strictObject({
  url: z.string().regex(/^https?:\/\/[^/]/i, { error: 'the url starts with http:// or https://' }).describe('the VMS endpoint events are POSTed to (required)'),
  apiKey: z.string().default('').describe('API key sent in the X-Api-Key header; empty = none'),
  title: templateField('alarm title shown to the operator', '{title} on {cameraName}'),
  tls: tlsField(),
});

type TemplateConfig = z.output<typeof configSchema>;

class TemplateSink implements VmsSink {
  constructor(
    private readonly config: TemplateConfig,
    private readonly context: PluginContext,
  ) {}

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    const response = await this.context.http.request({
      method: 'POST',
      url: this.config.url,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': delivery.idempotencyKey,
        ...(this.config.apiKey ? { 'x-api-key': this.config.apiKey } : {}),
      },
      body: JSON.stringify({
        id: event.id,
        title: renderTemplate(this.config.title, event),
        camera: event.cameraId,
        time: event.frameTime,
        state: event.state,
        boxes: event.objects.map((o) => ({ label: o.label, score: o.score, ...o.box })),
      }),
      signal: delivery.signal,
      tls: httpTls(this.config.tls),
    });
    throwForStatus(response, { what: `VMS ${new URL(this.config.url).host}`, authHint: `check ${this.context.configPath}.apiKey` });
    return { detail: `HTTP ${response.status}` };
  }
}

export default definePlugin({
  manifest: {
    id: 'x-template',
    outputType: 'x-template',
    title: 'Template VMS (copy me)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description: 'Example plugin: POSTs a small JSON alarm with the event id as Idempotency-Key.',
    capabilities: ['bounding-boxes', 'idempotency-key'],
  },
  configSchema,
  createSink: (config, context) => new TemplateSink(config, context),
});
