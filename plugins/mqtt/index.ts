import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import {
  definePlugin,
  SinkAuthError,
  SinkConfigError,
  SinkUnavailableError,
  tlsField,
  z,
  type AnalyticsEvent,
  type DeliveryInfo,
  type PluginContext,
  type PluginHealth,
  type SinkError,
  type VmsSink,
} from '../../src/sdk/index.js';
import { onvifEjMessage } from './onvif-ej.js';

const configSchema = z.strictObject({
  url: z
    .string()
    .regex(/^(mqtts?|wss?):\/\/[^/]/i, { error: 'a broker url is mqtt://host:1883 (or mqtts://, ws://, wss://)' })
    .describe('the MQTT broker, e.g. mqtt://broker:1883 (mqtts://, ws://, wss:// also accepted) (required)'),
  topicPrefix: z
    .string()
    .min(1, { error: 'ONVIF requires a non-empty topic prefix' })
    .regex(/^[^+#]+$/, { error: 'a topic prefix cannot contain + or #' })
    .default('vigie')
    .describe('first levels of every topic, as ONVIF TopicPrefix: <topicPrefix>/onvif-ej/<ONVIF topic>/&<camera>/<rule>'),
  username: z.string().default('').describe('broker user name; empty = anonymous'),
  password: z.string().default('').describe('broker password'),
  clientId: z.string().default('').describe('MQTT client id; empty = vigie-<instance>-<output name>'),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'qos is 0, 1 or 2' }).default(1).describe('MQTT QoS: 1 (at least once, the broker acknowledges each event) unless you know better'),
  retainProperties: z
    .boolean()
    .default(true)
    .describe('retain property events (start/update) so new subscribers see the current state; an end clears it with an empty retained message, as ONVIF specifies'),
  protocolVersion: z
    .union([z.literal(4), z.literal(5)], { error: 'protocolVersion is 5 (MQTT 5) or 4 (MQTT 3.1.1)' })
    .default(5)
    .describe('MQTT 5 (event id, incident id and sequence as user properties) or 4 (MQTT 3.1.1) for old brokers'),
  tls: tlsField(),
});

type MqttConfig = z.output<typeof configSchema>;

/** CONNACK codes meaning the broker refused our credentials (3.1.1: 4, 5; MQTT 5: 134, 135). */
const AUTH_CODES = new Set([4, 5, 134, 135]);

class MqttSink implements VmsSink {
  private client: MqttClient | undefined;
  private lastError: SinkError | undefined;

  constructor(
    private readonly config: MqttConfig,
    private readonly context: PluginContext,
  ) {}

  /** Connects (the client then reconnects by itself); rejects when not connected within the host's timeout. */
  async start(): Promise<void> {
    this.client ??= this.open();
    if (this.client.connected) return;
    await new Promise<void>((resolve, reject) => {
      const client = this.client!;
      const cleanup = () => {
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('offline', onOffline);
      };
      const onConnect = () => {
        cleanup();
        resolve();
      };
      const onError = () => {
        cleanup();
        reject(this.lastError ?? new SinkUnavailableError(`cannot connect to the MQTT broker ${this.where()}`));
      };
      const onOffline = onError;
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('offline', onOffline);
    });
  }

  async deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    const client = this.client;
    if (!client?.connected) {
      throw this.lastError ?? new SinkUnavailableError(`not connected to the MQTT broker ${this.where()}`);
    }
    const message = onvifEjMessage(this.config.topicPrefix, event);
    const properties = this.config.protocolVersion === 5 ? { userProperties: { 'event-id': event.id, 'incident-id': event.incidentId, sequence: String(event.sequence) }, contentType: 'application/json' } : undefined;
    const retain = message.property && this.config.retainProperties && event.state !== 'end';
    const options: IClientPublishOptions = { qos: this.config.qos, retain, ...(properties ? { properties } : {}) };
    await this.publish(client, message.topic, JSON.stringify(message.payload), options, delivery.signal);
    if (message.property && this.config.retainProperties && event.state === 'end') {
      // ONVIF: a deleted property clears the retained message with a zero-byte retained payload.
      await this.publish(client, message.topic, '', { qos: this.config.qos, retain: true }, delivery.signal);
    }
    return { detail: `${this.config.qos > 0 ? 'acknowledged' : 'sent'} on ${message.topic}` };
  }

  async check(): Promise<string> {
    await this.start();
    return `connected to ${this.where()}${this.config.username ? ` as ${this.config.username}` : ''}`;
  }

  health(): PluginHealth {
    return { connected: this.client?.connected ?? false, ...(this.lastError && !this.client?.connected ? { detail: this.lastError.message } : {}) };
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }

  private open(): MqttClient {
    const options: IClientOptions = {
      clientId: this.config.clientId || `vigie-${this.context.vigie.instance}-${this.context.outputName}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64),
      protocolVersion: this.config.protocolVersion,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      queueQoSZero: false,
      ...(this.config.username ? { username: this.config.username, password: this.config.password } : {}),
      ...(this.config.tls.ca ? { ca: this.config.tls.ca } : {}),
      rejectUnauthorized: !this.config.tls.insecure,
    };
    const client = connect(this.config.url, options);
    client.on('connect', () => {
      if (this.lastError) this.context.logger.info({ broker: this.where() }, 'connected to the MQTT broker');
      this.lastError = undefined;
    });
    client.on('error', (error: Error & { code?: number | string }) => {
      this.lastError = this.describe(error);
      this.context.logger.debug({ err: error }, 'MQTT client error');
    });
    return client;
  }

  private publish(client: MqttClient, topic: string, payload: string, options: IClientPublishOptions, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new SinkUnavailableError(`MQTT publish to ${this.where()} was cancelled`));
      signal.addEventListener('abort', onAbort, { once: true });
      client.publish(topic, payload, options, (error) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(new SinkUnavailableError(`MQTT broker ${this.where()} did not take the event: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  private describe(error: Error & { code?: number | string }): SinkError {
    if (typeof error.code === 'number' && AUTH_CODES.has(error.code)) {
      return new SinkAuthError(`MQTT broker ${this.where()} refused the connection: ${error.message}`, {
        hint: `check ${this.context.configPath}.username and password, and the broker's access rules for this client`,
      });
    }
    if (typeof error.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(error.code)) {
      return new SinkConfigError(`the TLS certificate of MQTT broker ${this.where()} is not trusted (${error.code})`, {
        hint: `give the broker's certificate in ${this.context.configPath}.tls.ca, or set tls.insecure: true on a network you trust`,
      });
    }
    return new SinkUnavailableError(`cannot reach the MQTT broker ${this.where()}: ${error.message}`, {
      cause: error,
      hint: `check that the broker runs and that ${this.context.configPath}.url points at it`,
    });
  }

  private where(): string {
    const url = new URL(this.config.url);
    return `${url.protocol}//${url.host}`;
  }
}

export default definePlugin({
  manifest: {
    id: 'mqtt',
    outputType: 'mqtt',
    title: 'MQTT (ONVIF event broker layout)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      'Publishes each event with QoS 1 as ONVIF Profile M does to an event broker: topic <prefix>/onvif-ej/<ONVIF topic>/&<camera>/<rule>, JSON payload {UtcTime, PropertyOperation, Source, Data}; property events retained.',
    capabilities: ['idempotency-key', 'incident-state', 'active-check'],
  },
  configSchema,
  createSink: (config, context) => new MqttSink(config, context),
});
