import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  SinkConfigError,
  SinkTimeoutError,
  SinkUnavailableError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type HttpTlsOptions,
} from '../../sdk/index.js';
import { DigestClient } from '../../auth/index.js';
import { isVigieError } from '../../errors/index.js';

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
};

export interface NodeHttpClientOptions {
  /** Default whole-request timeout when a request gives none. */
  timeoutSeconds: number;
  /** `User-Agent` sent on every request. */
  userAgent: string;
}

/**
 * The HTTP client plugins get through their context: node's http/https with keep-alive agents (one per TLS
 * setting), whole-request timeouts, bounded response bodies, Basic/Bearer headers and RFC 7616 Digest (the
 * challenge is remembered per origin and realm, so later requests authenticate at once with an incremented nc).
 */
export class NodeHttpClient implements HttpClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgents = new Map<string, HttpsAgent>();
  /** Digest state per origin: the challenge answered last, reused (nc counting up) until the server asks again. */
  private readonly digest = new Map<string, DigestClient>();

  constructor(private readonly options: NodeHttpClientOptions) {}

  private readonly urls = new Map<string, URL>();

  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = typeof req.url === 'string' ? this.parse(req.url) : req.url;
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent };
    for (const name in req.headers) headers[name.toLowerCase()] = req.headers[name]!;
    const auth = req.auth;
    if (auth?.scheme === 'basic') headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    if (auth?.scheme === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    const uri = `${url.pathname}${url.search}`;
    const digestKey = url.origin;
    if (auth?.scheme === 'digest') {
      const known = this.digest.get(digestKey);
      if (known) headers.authorization = known.authorization(method, uri, req.body === undefined ? undefined : Buffer.from(req.body));
    }
    let response = await this.send(url, method, headers, req);
    // A 401 with a Digest challenge: answer it once (again when the server only says the nonce went stale).
    for (let round = 0; auth?.scheme === 'digest' && response.status === 401 && round < 2; round++) {
      const challenge = response.headers['www-authenticate'];
      let client: DigestClient;
      try {
        client = DigestClient.fromChallenges(challenge, { username: auth.username, password: auth.password, source: url.origin });
      } catch (error) {
        throw new SinkConfigError(isVigieError(error) ? error.message : String(error), {
          cause: error,
          hint: 'the server does not offer HTTP Digest to this user: enable Digest for it on the VMS, or use the API the plugin offers instead',
        });
      }
      if (round === 1 && !client.stale) break; // the fresh answer was refused: wrong credentials
      this.digest.set(digestKey, client);
      headers.authorization = client.authorization(method, uri, req.body === undefined ? undefined : Buffer.from(req.body));
      response = await this.send(url, method, headers, req);
    }
    return response;
  }

  /** Parsed URLs of the strings plugins pass (the same few, again and again); not mutated by the client. */
  private parse(text: string): URL {
    let url = this.urls.get(text);
    if (!url) {
      url = new URL(text);
      if (this.urls.size > 1000) this.urls.clear();
      this.urls.set(text, url);
    }
    return url;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    for (const agent of this.httpsAgents.values()) agent.destroy();
    this.httpsAgents.clear();
  }

  private send(url: URL, method: string, headers: Record<string, string>, req: HttpRequest, retried = false): Promise<HttpResponse> {
    const timeoutMs = (req.timeoutSeconds ?? this.options.timeoutSeconds) * 1000;
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const sendHeaders = { ...headers };
    if (body !== undefined) sendHeaders['content-length'] = String(body.byteLength);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      return Promise.reject(new SinkConfigError(`unsupported URL scheme ${url.protocol} in ${url.origin}: use http:// or https://`));
    }
    if (req.signal?.aborted) return Promise.reject(this.describeFailure(new Error('aborted'), url, req.signal, false, timeoutMs));
    const options: RequestOptions = { method, headers: sendHeaders, agent: secure ? this.httpsAgent(req.tls) : this.httpAgent };
    const limit = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return new Promise<HttpResponse>((resolve, reject) => {
      let timedOut = false;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (error: NodeJS.ErrnoException) => finish(() => reject(this.describeFailure(error, url, req.signal, timedOut, timeoutMs)));
      const onResponse = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(size + chunk.length > limit ? chunk.subarray(0, limit - size) : chunk);
          size += chunk.length;
        });
        res.on('error', fail);
        res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
      };
      const request = secure ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
      // One timer for the whole request (connect to last byte) and the caller's signal: both destroy the request.
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      }, timeoutMs);
      const onAbort = () => request.destroy(new Error('aborted'));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A keep-alive socket the server closed just as we reused it: send once more on a fresh one (node's advice).
        if (!retried && request.reusedSocket && error.code === 'ECONNRESET' && !timedOut && !req.signal?.aborted) {
          finish(() => {
            this.send(url, method, headers, req, true).then(resolve, reject);
          });
        } else fail(error);
      });
      request.end(body);
    });
  }

  private httpsAgent(tls: HttpTlsOptions | undefined): HttpsAgent {
    const rejectUnauthorized = tls?.rejectUnauthorized ?? true;
    const key = `${rejectUnauthorized}:${tls?.ca ? createHash('sha256').update(tls.ca).digest('hex') : ''}`;
    let agent = this.httpsAgents.get(key);
    if (!agent) {
      agent = new HttpsAgent({ keepAlive: true, maxSockets: 64, rejectUnauthorized, ...(tls?.ca ? { ca: tls.ca } : {}) });
      this.httpsAgents.set(key, agent);
    }
    return agent;
  }

  private describeFailure(error: NodeJS.ErrnoException, url: URL, caller: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): Error {
    if (caller?.aborted) return caller.reason instanceof Error ? caller.reason : new SinkTimeoutError(`request to ${url.origin} was cancelled`);
    if (timedOut) {
      return new SinkTimeoutError(`${url.origin} did not answer within ${timeoutMs / 1000} s`, { cause: error });
    }
    const code = error.code ?? '';
    if (TLS_TRUST_CODES.has(code)) {
      return new SinkConfigError(`the TLS certificate of ${url.origin} is not trusted (${code}: ${error.message})`, {
        cause: error,
        hint: "give the VMS's certificate (PEM) in this output's tls.ca, or set tls.insecure: true on a network you trust",
      });
    }
    const reason = NETWORK_REASONS[code] ?? error.message;
    return new SinkUnavailableError(`cannot reach ${url.origin}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`, {
      cause: error,
      hint: 'check that the VMS is running and that the output url points at it (host, port, http or https)',
    });
  }
}
