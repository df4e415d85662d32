import { createServer, type Server } from 'node:http';

export interface RaisedCustomEvent {
  id: number;
  source: string;
  message: string;
}

/**
 * A stand-in for the Security Center Web SDK role (base /WebSdk): HTTP Basic with "user;ApplicationId" (401
 * otherwise), JSON answers `{"Rsp":{"Status":…}}` only when asked with `Accept: text/json` (XML otherwise, as the
 * real one), RaiseCustomEvent for defined custom event ids and known entities, TriggerAlarm, and entity lookups.
 */
export class GenetecWebSdk {
  readonly raised: RaisedCustomEvent[] = [];
  readonly alarms: { alarm: string; source: string }[] = [];
  requests = 0;
  private server: Server | undefined;
  port = 0;

  constructor(
    readonly credentials: { username: string; applicationId: string; password: string },
    readonly customEvents: Set<number>,
    readonly entities: Set<string>,
    readonly alarmEntities: Set<string> = new Set(),
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/WebSdk`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      const json = req.headers.accept === 'text/json';
      const reply = (status: number, rsp: { Status: string; Result?: unknown }) => {
        if (json) res.writeHead(status, { 'content-type': 'text/json' }).end(JSON.stringify({ Rsp: rsp }));
        else res.writeHead(status, { 'content-type': 'text/xml' }).end(`<rsp status="${rsp.Status.toLowerCase()}"/>`);
      };
      const expected = `Basic ${Buffer.from(`${this.credentials.username};${this.credentials.applicationId}:${this.credentials.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="WebSdk"' }).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const raise = /^\/WebSdk\/events\/RaiseCustomEvent\/(\d+)\/([^/]+)\/(.*)$/.exec(url.pathname);
      if (raise && req.method === 'POST') {
        const [, id, source, message] = raise;
        if (!this.customEvents.has(Number(id))) return reply(200, { Status: 'Fail', Result: { Message: `Custom event ${id} does not exist` } });
        if (!this.entities.has(source!.toLowerCase())) return reply(200, { Status: 'Fail', Result: { Message: `Entity ${source} not found` } });
        this.raised.push({ id: Number(id), source: source!, message: decodeURIComponent(message!) });
        return reply(200, { Status: 'Ok' });
      }
      const q = url.searchParams.get('q') ?? '';
      if (url.pathname === '/WebSdk/alarm' && req.method === 'GET') {
        const m = /^TriggerAlarm\(([^,]+),([^)]+)\)$/.exec(q);
        if (!m || !this.alarmEntities.has(m[1]!.toLowerCase())) return reply(200, { Status: 'Fail', Result: { Message: 'Alarm not found' } });
        this.alarms.push({ alarm: m[1]!, source: m[2]! });
        return reply(200, { Status: 'Ok' });
      }
      if (url.pathname === '/WebSdk/entity' && req.method === 'GET') {
        const m = /^entity=([^,]+),Name$/.exec(q);
        const known = m && (this.entities.has(m[1]!.toLowerCase()) || m[1] === '00000000-0000-0000-0000-000000000007');
        return known ? reply(200, { Status: 'Ok', Result: { Name: 'Camera' } }) : reply(200, { Status: 'Fail', Result: { Message: 'Unknown entity' } });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
