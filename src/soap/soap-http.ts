import type { IncomingMessage, ServerResponse } from 'node:http';

export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 413 | 400; reason: string };

/**
 * Reads a request body up to `maxBytes`. A larger body (announced or actual) is answered `413` without reading
 * the rest; a client that aborts gives `400`. Never throws.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    req.resume();
    return Promise.resolve({ ok: false, status: 413, reason: `body of ${announced} bytes exceeds the limit of ${maxBytes}` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, status: 413, reason: `body exceeds the limit of ${maxBytes} bytes` });
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.once('error', (error) => finish({ ok: false, status: 400, reason: `request aborted: ${error.message}` }));
    req.once('close', () => finish({ ok: false, status: 400, reason: 'request aborted by the client' }));
  });
}

export interface HttpReply {
  status: number;
  /** Header values; arrays give repeated headers (several WWW-Authenticate challenges). */
  headers?: Record<string, string | readonly string[]>;
  body: string | Buffer;
  contentType?: string;
}

/**
 * Sends a whole reply with `Content-Length` in one `end()` (never chunked: strict ONVIF clients such as
 * onvif-util reject chunked replies). Does nothing when the client already went away.
 */
export function sendReply(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', reply.contentType ?? SOAP_CONTENT_TYPE);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
