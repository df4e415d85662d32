import type { Socket } from 'node:net';
import {
  definePlugin,
  renderTemplate,
  SinkConfigError,
  SinkUnavailableError,
  statesField,
  templateField,
  z,
  type AnalyticsEvent,
  type DeliveryInfo,
  type PluginContext,
  type VmsSink,
} from '../../src/sdk/index.js';
import { connect, readUntil, type Endpoint } from './tcp-exchange.js';

const configSchema = z.strictObject({
  url: z
    .string()
    .regex(/^tcp:\/\/[^/:]+:\d+\/?$/i, { error: 'a generic event url is tcp://host:port, e.g. tcp://xprotect-es:1235 (1234: compatible, 1235: international)' })
    .describe('the Event Server generic event data source: tcp://host:1234 (compatible) or tcp://host:1235 (international, CR LF) (required)'),
  format: z
    .enum(['auto', 'compatible', 'international'])
    .default('auto')
    .describe('compatible: one ANSI string per connection, echoed back; international: CR LF separated UTF-8 records on one connection, answered with match statistics; auto = international on port 1235, else compatible'),
  template: templateField('the string sent; Generic Events match it by their Expression', 'Vigie {type} {state} camera={cameraId} rule={rule}'),
  requireMatch: z
    .boolean()
    .default(true)
    .describe('international format: treat an answer saying no Generic Event matched as a configuration error (events kept and retried) rather than delivered'),
  states: statesField(['start'], 'each string is a separate generic event, so the default sends the start only'),
});

type GenericConfig = z.output<typeof configSchema>;

/** `[req#],[chars],[matches],[generic event names…]`: the International data source's answer to one record. */
const STATISTICS = /^(\d+),(\d+),(\d+)(?:,(.*))?$/;

class GenericEventSink implements VmsSink {
  private readonly endpoint: Endpoint;
  private readonly international: boolean;
  private connection: Socket | undefined;
  /** International records share one connection: one exchange at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: GenericConfig,
    private readonly context: PluginContext,
  ) {
    const url = new URL(config.url.replace(/^tcp:/i, 'http:'));
    this.endpoint = { host: url.hostname, port: Number(url.port) };
    this.international = config.format === 'international' || (config.format === 'auto' && this.endpoint.port === 1235);
  }

  deliver(event: AnalyticsEvent, delivery: DeliveryInfo) {
    if (!this.config.states.includes(event.state)) return Promise.resolve({ skipped: `${event.state} messages are not sent (states setting)` });
    const text = renderTemplate(this.config.template, event).replace(/[\r\n]+/g, ' ');
    if (!this.international) return this.sendCompatible(text, delivery.signal);
    const exchange = this.queue.then(() => this.sendInternational(text, delivery.signal));
    this.queue = exchange.catch(() => undefined);
    return exchange;
  }

  async check(signal: AbortSignal): Promise<string> {
    const socket = await connect(this.endpoint, signal);
    socket.end();
    return `the generic event port ${this.endpoint.host}:${this.endpoint.port} accepts connections (${this.international ? 'international' : 'compatible'} format)`;
  }

  stop(): Promise<void> {
    this.connection?.end();
    this.connection = undefined;
    return Promise.resolve();
  }

  /** Port 1234: connect, send the ANSI string, wait for the echo (or the server closing), close. */
  private async sendCompatible(text: string, signal: AbortSignal) {
    const payload = Buffer.from(text, 'latin1');
    const socket = await connect(this.endpoint, signal);
    try {
      socket.write(payload);
      const echo = await readUntil(socket, (r) => r.length >= payload.length, signal, `generic event ${this.endpoint.host}:${this.endpoint.port}`);
      return { detail: echo.length > 0 ? `echoed ${echo.length} bytes` : 'sent (no echo)' };
    } finally {
      socket.destroy();
    }
  }

  private async open(signal: AbortSignal): Promise<Socket> {
    const socket = await connect(this.endpoint, signal);
    socket.once('close', () => {
      if (this.connection === socket) this.connection = undefined;
    });
    socket.on('error', (error) => this.context.logger.debug({ err: error }, 'generic event connection error'));
    this.connection = socket;
    return socket;
  }

  /** Port 1235: one `text\r\n` record on the kept connection, then its statistics line. */
  private async sendInternational(text: string, signal: AbortSignal) {
    const where = `generic event ${this.endpoint.host}:${this.endpoint.port}`;
    const socket = this.connection ?? (await this.open(signal));
    socket.write(`${text}\r\n`, 'utf8');
    const answer = await readUntil(socket, (r) => r.includes(10), signal, where).catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
    const line = answer.toString('utf8').split(/\r?\n/)[0]!.trim();
    if (!line) {
      socket.destroy();
      throw new SinkUnavailableError(`${where} closed the connection without answering`);
    }
    const stats = STATISTICS.exec(line);
    if (stats && Number(stats[3]) === 0 && this.config.requireMatch) {
      throw new SinkConfigError(`${where} received "${text}" but no Generic Event matched it (answer "${line}")`, {
        hint: `in the Management Client, Rules and Events > Generic Events: add one whose Expression matches this text (see ${this.context.configPath}.template), then a rule acting on it`,
      });
    }
    return { detail: stats ? `matched ${stats[3]}${stats[4] ? ` (${stats[4]})` : ''}` : `answer ${line}` };
  }
}

export default definePlugin({
  manifest: {
    id: 'milestone-generic',
    outputType: 'milestone-generic',
    title: 'Milestone XProtect (Generic Events over TCP)',
    version: '1.0.0',
    sdkVersion: '1.0.0',
    description:
      'Sends a text string per event to a Generic Event data source of the Event Server (TCP 1234 compatible, or 1235 international with CR LF), matched by Generic Event expressions. No boxes: a fallback when Analytics Events cannot be used.',
    capabilities: ['active-check'],
  },
  configSchema,
  createSink: (config, context) => new GenericEventSink(config, context),
});
