import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CameraUnreachableError, OnvifMalformedResponseError, type UnreachableReason } from '../errors/index.js';

/** An HTTP answer, whole. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Repeated headers (several WWW-Authenticate challenges) stay separate here. */
  rawHeaders: string[];
  body: Buffer;
  /** Local time (ms) when the answer's headers arrived, for clock estimates from `Date`. */
  receivedAt: number;
}

export interface HttpPostOptions {
  headers: Record<string, string>;
  /** Whole exchange deadline, connection included, in ms. */
  timeoutMs: number;
  /** Largest body read; a longer answer is refused. */
  maxBytes: number;
  /** For error messages. */
  device: string;
  operation: string;
  /** Abandons the exchange (the caller is shutting down): rejects with the signal's reason. */
  signal?: AbortSignal;
}

const CODES: Record<string, UnreachableReason> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'not-found',
  EAI_AGAIN: 'not-found',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ETIMEDOUT: 'timeout',
  EPROTO: 'tls',
};

function reasonOf(error: NodeJS.ErrnoException): UnreachableReason {
  const code = error.code ?? '';
  if (CODES[code]) return CODES[code];
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|ssl|tls/i.test(error.message)) return 'tls';
  if (/socket hang up|aborted/i.test(error.message)) return 'reset';
  return 'other';
}

/**
 * One HTTP(S) POST, with a deadline over the whole exchange and a cap on the body. Network failures become
 * `CameraUnreachableError` (refused, timeout, unknown host, reset), an oversized body
 * `OnvifMalformedResponseError`. No connection reuse: each call is one connection, closed after the answer.
 * Camera certificates are self-signed as a rule, so HTTPS does not verify them (credentials only ever travel as
 * digests).
 */
export function httpPost(url: URL, body: Buffer, options: HttpPostOptions): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'Content-Length': String(body.length), Connection: 'close' },
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        const receivedAt = Date.now();
        const announced = Number(res.headers['content-length']);
        if (Number.isFinite(announced) && announced > options.maxBytes) {
          fail(new OnvifMalformedResponseError(options.device, options.operation, `the answer announces ${announced} bytes, more than the ${options.maxBytes} accepted`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) fail(new OnvifMalformedResponseError(options.device, options.operation, `the answer is larger than the ${options.maxBytes} bytes accepted`));
          else chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => fail(new CameraUnreachableError(options.device, reasonOf(error), { operation: options.operation, cause: error })));
        res.on('aborted', () => fail(new CameraUnreachableError(options.device, 'reset', { operation: options.operation })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks, size), receivedAt });
        });
      },
    );
    const timer = setTimeout(
      () => fail(new CameraUnreachableError(options.device, 'timeout', { operation: options.operation, timeoutSeconds: Math.round(options.timeoutMs / 100) / 10 })),
      options.timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) => fail(new CameraUnreachableError(options.device, reasonOf(error), { operation: options.operation, cause: error })));
    const signal = options.signal;
    if (signal) {
      const onAbort = () => fail(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    req.end(body);
  });
}
