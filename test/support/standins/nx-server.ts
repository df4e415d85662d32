import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NxGenericEvent {
  api: 'v4' | 'legacy';
  timestamp: string;
  source: string;
  caption: string;
  description: string;
  state: string;
  deviceIds: string[];
  omitLogging?: boolean;
}

const STATES = new Set(['instant', 'started', 'stopped']);
const V4_FIELDS = new Set(['timestamp', 'state', 'source', 'caption', 'description', 'deviceIds', 'omitLogging', 'serverId']);

/**
 * A stand-in for an Nx Witness / WAVE / DW Spectrum server on HTTPS (self-signed, as shipped). `modern`: session
 * tokens from POST /rest/v1/login/sessions and POST /rest/v4/events/generic with the documented fields (others
 * refused); `legacy`: no /rest API (404), GET /api/createEvent and /api/getCurrentUser behind HTTP Digest (MD5,
 * qop=auth, verified here from RFC 7616 independently of Vigie's client).
 */
export class NxServer {
  readonly events: NxGenericEvent[] = [];
  readonly tokens = new Set<string>();
  logins = 0;
  requests = 0;
  private server: Server | undefined;
  private readonly nonces = new Set<string>();
  port = 0;

  constructor(
    readonly mode: 'modern' | 'legacy',
    readonly tls: { cert: string; key: string },
    readonly user: { username: string; password: string },
    readonly realm = 'VMS',
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Forgets every session, as a server restart or token expiry would. */
  expireTokens(): void {
    this.tokens.clear();
  }

  async start(): Promise<this> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        this.handle(req, res, Buffer.concat(chunks).toString('utf8'));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://x');
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (url.pathname.startsWith('/rest/')) {
      if (this.mode === 'legacy') return json(404, { error: '4', errorString: 'Not found' });
      if (url.pathname === '/rest/v1/login/sessions' && req.method === 'POST') {
        const login = JSON.parse(body) as { username?: string; password?: string };
        if (login.username !== this.user.username || login.password !== this.user.password) return json(401, { error: '2', errorString: 'Wrong username or password' });
        const token = `vms-${randomBytes(12).toString('hex')}`;
        this.tokens.add(token);
        this.logins++;
        return json(200, { token, username: login.username, expiresInS: 3600 });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (url.pathname.startsWith('/rest/v1/login/sessions/') && req.method === 'DELETE') {
        this.tokens.delete(decodeURIComponent(url.pathname.split('/').pop()!));
        return json(200, {});
      }
      if (!bearer || !this.tokens.has(bearer)) return json(401, { error: '2', errorString: 'Unauthorized' });
      if (url.pathname === '/rest/v4/events/generic' && req.method === 'POST') {
        const event = JSON.parse(body) as Record<string, unknown>;
        const unknown = Object.keys(event).filter((k) => !V4_FIELDS.has(k));
        if (unknown.length > 0 || !STATES.has(String(event.state)) || !/^\d+$/.test(String(event.timestamp))) {
          return json(400, { error: '3', errorString: `Invalid parameter: ${unknown.join(',') || 'state/timestamp'}` });
        }
        if (req.headers['content-type'] !== 'application/json') return json(415, { errorString: 'content type' });
        this.events.push({ api: 'v4', timestamp: String(event.timestamp), source: String(event.source), caption: String(event.caption), description: String(event.description), state: String(event.state), deviceIds: (event.deviceIds as string[] | undefined) ?? [], ...(event.omitLogging ? { omitLogging: true } : {}) });
        return json(200, {});
      }
      return json(404, { error: '4', errorString: 'Not found' });
    }
    if (url.pathname === '/api/createEvent' || url.pathname === '/api/getCurrentUser') {
      if (!this.digestValid(req)) {
        const nonce = randomBytes(16).toString('hex');
        this.nonces.add(nonce);
        res.writeHead(401, { 'www-authenticate': `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"` }).end();
        return;
      }
      if (url.pathname === '/api/getCurrentUser') return json(200, { reply: { name: this.user.username }, error: '0', errorString: '' });
      const q = url.searchParams;
      if (!STATES.has(q.get('state') ?? '')) return json(200, { error: '3', errorString: 'Invalid parameter state' });
      const metadata = q.get('metadata') ? (JSON.parse(q.get('metadata')!) as { cameraRefs?: string[] }) : {};
      this.events.push({ api: 'legacy', timestamp: q.get('timestamp') ?? '', source: q.get('source') ?? '', caption: q.get('caption') ?? '', description: q.get('description') ?? '', state: q.get('state') ?? '', deviceIds: metadata.cameraRefs ?? [] });
      return json(200, { error: '0', errorString: '' });
    }
    res.writeHead(404).end();
  }

  private digestValid(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Digest ')) return false;
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3]!;
    if (p.username !== this.user.username || p.realm !== this.realm || !this.nonces.has(p.nonce ?? '') || p.uri !== req.url) return false;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${this.user.username}:${this.realm}:${this.user.password}`);
    const ha2 = md5(`${req.method}:${p.uri}`);
    const expected = p.qop === 'auth' ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response;
  }
}
