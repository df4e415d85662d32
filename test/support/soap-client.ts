import { request } from 'node:http';
import { DigestClient, authenticateHeaders, createUsernameToken, usernameTokenHeader } from '../../src/auth/index.js';
import { serializeSoap, type XmlContent } from '../../src/soap/index.js';

export interface SoapCallOptions {
  /** How to authenticate: HTTP Digest (after a 401 challenge), a WS-UsernameToken header, both, or not at all. */
  auth?: 'digest' | 'wsse' | 'both' | 'none';
  user?: string;
  password?: string;
  /** Shift of the UsernameToken's Created (device clock minus ours). */
  clockOffsetMs?: number;
  /** A ready-made body instead of building one (hostile-input tests). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

/** One HTTP request with node:http (so repeated headers stay separate in rawHeaders). */
export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url} within 20 s`)));
    req.end(options.body);
  });
}

/**
 * A SOAP 1.2 call as an ONVIF client makes it, with Vigie's own auth helpers: a UsernameToken header (wsse), and/or
 * HTTP Digest answering the 401 challenge (digest).
 */
export async function soapCall(url: string, body: XmlContent, options: SoapCallOptions = {}): Promise<HttpResult> {
  const auth = options.auth ?? 'none';
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';
  const make = () => {
    if (options.raw !== undefined) return options.raw;
    const header = auth === 'wsse' || auth === 'both' ? [usernameTokenHeader(createUsernameToken({ username: user, password, clockOffsetMs: options.clockOffsetMs }))] : [];
    return serializeSoap(body, header);
  };
  const headers = { 'Content-Type': 'application/soap+xml; charset=utf-8', ...options.headers };
  const path = new URL(url).pathname;
  const method = options.method ?? 'POST';
  const first = await httpRequest(url, { method, headers, body: make() });
  if (first.status !== 401 || (auth !== 'digest' && auth !== 'both')) return first;
  const client = DigestClient.fromChallenges(authenticateHeaders(first.rawHeaders), { username: user, password });
  const payload = make();
  return httpRequest(url, { method, headers: { ...headers, Authorization: client.authorization(method, path, payload) }, body: payload });
}

/** GET with HTTP Digest (snapshots). */
export async function digestGet(url: string, user: string, password: string): Promise<HttpResult> {
  const first = await httpRequest(url);
  if (first.status !== 401) return first;
  const client = DigestClient.fromChallenges(authenticateHeaders(first.rawHeaders), { username: user, password });
  const u = new URL(url);
  return httpRequest(url, { headers: { Authorization: client.authorization('GET', `${u.pathname}${u.search}`) } });
}
