import type { KeyObject } from 'node:crypto';
import { definePlugin, httpTls, throwForStatus, tlsField, z, type AnalyticsEvent, type DeliveryInfo, type PluginContext, type VmsSink } from '../../src/sdk/index.js';
import { cloudEventJson } from './cloud-event.js';
import { sign, signatureKey } from './signature.js';

const configSchema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/[^/]/i, { error: 'a webhook url starts with http:// or https://' })
    .describe('where events are POSTed (required)'),
  secret: z
    .string()
    .default('')
    .describe('signing key of the webhook-signature header (HMAC-SHA256, Standard Webhooks): whsec_<base64> or any text of 16+ characters; empty = unsigned'),
  source: z.string().default('').describe('CloudEvents source attribute; empty = urn:vigie:<instance>'),
  headers: z.record(z.string(), z.string()).default({}).describe('extra HTTP headers sent with every event, e.g. an API key the receiver expects'),
  snapshot: z.boolean().default(false).describe('embed the evidence snapshot (base64 JPEG) in data.snapshot'),
  tls: tlsField(),
}).superRefine((config, ctx) => {
  if (config.secret && !config.secret.startsWith('whsec_') && config.secret.length < 16) {
    ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a signing secret needs at least 16 characters (or whsec_<base64>)' });
  }
});

type WebhookConfig = z.output<typeof configSchema>;

class WebhookSink implements VmsSink {
  private readonly key: KeyObject | undefined;
  private readonly source: string;
  private readonly what: string;

  constructor(
    private readonly config: WebhookConfig,
    private readonly context: PluginContext,
  ) {
    this.key = config.secret ? signatureKey(config.secret) : undefined;
    this.source = config.source || `urn:vigie:${context.vigie.instance}`;
    this.what = `webhook ${new URL(config.url).origin}`;
  }

  start(): Promise<void> {
    if (!this.key) this.context.logger.warn({ url: this.config.url }, 'webhook without a secret: events are sent unsigned, receivers cannot check they come from Vigie');
    return Promise.resolve();
  }

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    const snapshot = this.config.snapshot && event.evidence ? await this.context.loadSnapshot(event.evidence.snapshotId) : undefined;
    const body = cloudEventJson(event, this.source, snapshot, delivery.eventJson);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      ...this.config.headers,
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': delivery.idempotencyKey,
      'webhook-timestamp': String(timestamp),
      'idempotency-key': delivery.idempotencyKey,
    };
    if (this.key) headers['webhook-signature'] = sign(this.key, delivery.idempotencyKey, timestamp, body);
    const response = await this.context.http.request({ method: 'POST', url: this.config.url, headers, body, signal: delivery.signal, tls: httpTls(this.config.tls) });
    throwForStatus(response, {
      what: this.what,
      authHint: `the receiver refused the request: check the secret and headers of ${this.context.configPath}`,
      notFoundHint: `check the path of ${this.context.configPath}.url`,
    });
    return { detail: `HTTP ${response.status}` };
  }
}

export default definePlugin({
  manifest: {
    id: 'webhook',
    outputType: 'webhook',
    title: 'Webhook (CloudEvents 1.0, signed)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      'POSTs each event as a CloudEvents 1.0 JSON document, signed with HMAC-SHA256 (Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature); the event id doubles as Idempotency-Key.',
    capabilities: ['bounding-boxes', 'snapshots', 'idempotency-key', 'incident-state'],
  },
  configSchema,
  createSink: (config, context) => new WebhookSink(config, context),
});
