import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ReceivedEvent {
  id: string;
  cameraId: string;
  sequence: number;
  /** When the receiver accepted it (epoch ms). */
  at: number;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type ReceiverMode = 'ok' | 'fail' | 'down';

export interface WebhookReceiverOptions {
  /** Verify Standard Webhooks signatures with this secret (401 when wrong or missing). */
  secret?: string;
  /** Reject timestamps further than this from now (replay protection). @defaultValue 300 */
  toleranceSeconds?: number;
}

/**
 * A webhook receiver as a third party would write one: checks the CloudEvents structured-mode content type, the
 * signature and the timestamp, and records what it accepted (2xx). `fail` answers 500; `down` closes the port so
 * connections are refused, and `ok` opens it again on the same port.
 */
export class WebhookReceiver {
  readonly accepted: ReceivedEvent[] = [];
  requests = 0;
  rejected: string[] = [];
  /** Event ids answered 400 (a VMS refusing one event). */
  readonly rejectIds = new Set<string>();
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private currentMode: ReceiverMode = 'ok';
  port = 0;

  constructor(private readonly options: WebhookReceiverOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/vigie`;
  }

  get mode(): ReceiverMode {
    return this.currentMode;
  }

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  async setMode(mode: ReceiverMode): Promise<void> {
    if (mode === this.currentMode) return;
    const wasDown = this.currentMode === 'down';
    this.currentMode = mode;
    if (mode === 'down') await this.shut();
    else if (wasDown) await this.listen(this.port);
  }

  ids(): string[] {
    return this.accepted.map((e) => e.id);
  }

  async close(): Promise<void> {
    this.currentMode = 'down';
    await this.shut();
  }

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        if (this.currentMode === 'fail') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failing on purpose');
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const problem = this.verify(req, raw);
        if (problem) {
          this.rejected.push(problem);
          res.writeHead(problem.startsWith('signature') || problem.startsWith('timestamp') ? 401 : 400).end(problem);
          return;
        }
        const body = JSON.parse(raw) as Record<string, unknown>;
        if (this.rejectIds.has(String(body.id))) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('event refused');
          return;
        }
        this.accepted.push({ id: String(body.id), cameraId: String(body.subject), sequence: Number(body.sequence), at: Date.now(), headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private async shut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private verify(req: IncomingMessage, raw: string): string | undefined {
    if (!String(req.headers['content-type']).startsWith('application/cloudevents+json')) return `content type ${req.headers['content-type']}`;
    if (!this.options.secret) return undefined;
    const id = String(req.headers['webhook-id'] ?? '');
    const timestamp = Number(req.headers['webhook-timestamp']);
    if (!id || !Number.isFinite(timestamp)) return 'signature headers missing';
    if (Math.abs(Date.now() / 1000 - timestamp) > (this.options.toleranceSeconds ?? 300)) return 'timestamp outside tolerance (replay?)';
    const key = this.options.secret.startsWith('whsec_') ? Buffer.from(this.options.secret.slice(6), 'base64') : Buffer.from(this.options.secret);
    const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest('base64'));
    const offered = String(req.headers['webhook-signature'] ?? '')
      .split(' ')
      .map((s) => s.split(',')[1] ?? '');
    const ok = offered.some((sig) => {
      const b = Buffer.from(sig);
      return b.length === expected.length && timingSafeEqual(b, expected);
    });
    return ok ? undefined : 'signature does not match';
  }
}
