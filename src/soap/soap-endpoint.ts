import type { IncomingMessage, ServerResponse } from 'node:http';
import { SoapFaultError, XmlRejectedError, isVigieError, type SoapFaultInit } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { NS } from './namespaces.js';
import { mustUnderstandHeaders, parseSoapEnvelope, serializeSoap, type SoapMessage } from './soap-envelope.js';
import { soapFault, ter } from './soap-fault.js';
import { readRequestBody, sendReply, type HttpReply } from './soap-http.js';
import type { XmlContent } from './xml-builder.js';
import type { ExpandedName, XmlElement } from './xml-element.js';

/** ONVIF access classes (Core §5.9.4): who may call an operation. */
export type AccessClass = 'PRE_AUTH' | 'READ_SYSTEM' | 'READ_SYSTEM_SENSITIVE' | 'READ_SYSTEM_SECRET' | 'WRITE_SYSTEM' | 'UNRECOVERABLE' | 'READ_MEDIA' | 'ACTUATE';

export interface SoapRequestContext {
  request: IncomingMessage;
  message: SoapMessage;
  /** The operation element (first child of the body). */
  operation: XmlElement;
  access: AccessClass;
  /** The authenticated user, once the authorizer let the call through (undefined for anonymous PRE_AUTH calls). */
  user?: string;
  /** Address and port the request came in on (for XAddrs that match what the client used). */
  localAddress: string;
  localPort: number;
}

export interface SoapOperation extends ExpandedName {
  access: AccessClass;
  /** Returns the body content of the response; throws `SoapFaultError` to answer with a fault. */
  handle(context: SoapRequestContext): XmlContent | Promise<XmlContent>;
}

export type AuthDecision =
  | { allowed: true; user?: string }
  | { allowed: false; status: number; headers?: Record<string, string | readonly string[]>; fault: SoapFaultInit };

export type SoapAuthorizer = (context: SoapRequestContext, rawBody: Buffer) => AuthDecision | Promise<AuthDecision>;

/** A reply about to be sent, which `interceptReply` may change (fault injection, tracing). */
export interface SoapReply extends HttpReply {
  /** The operation answered, when the request got that far. */
  operation?: ExpandedName;
}

export interface SoapEndpointOptions {
  operations: readonly SoapOperation[];
  logger: Logger;
  /** Decides whether a call may proceed. Without one, every call is allowed. */
  authorize?: SoapAuthorizer;
  /** Largest request body accepted, in bytes. @defaultValue 256 KiB */
  maxBodyBytes?: number;
  /** Header blocks understood besides WS-Security and WS-Addressing (mustUnderstand processing). */
  understoodHeaders?: readonly ExpandedName[];
  /** Last look at every reply before it is sent. */
  interceptReply?: (reply: SoapReply, context: { request: IncomingMessage }) => SoapReply | Promise<SoapReply>;
}

const UNDERSTOOD_NAMESPACES = new Set<string>([NS.wsa, NS.wsa2004]);
const DEFAULT_UNDERSTOOD: readonly ExpandedName[] = [{ uri: NS.wsse, local: 'Security' }];

function key(uri: string, local: string): string {
  return `{${uri}}${local}`;
}

/** A SOAP fault as a reply. */
export function faultReply(fault: SoapFaultError | SoapFaultInit, headers?: HttpReply['headers']): SoapReply {
  const status = fault instanceof SoapFaultError ? fault.httpStatus : (fault.httpStatus ?? (fault.code === 'Sender' ? 400 : 500));
  return { status, headers, body: serializeSoap(soapFault(fault)) };
}

/**
 * A SOAP 1.2 service endpoint as a plain `(req, res)` handler (mount it on express or node:http). It reads the
 * body with a size limit, parses it safely, honours mustUnderstand, dispatches on the operation's namespace URI
 * and local name, asks the authorizer, and always answers with `Content-Length`. Bad input gets a SOAP fault;
 * nothing a client sends can throw out of the handler.
 */
export function createSoapEndpoint(options: SoapEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const table = new Map(options.operations.map((op) => [key(op.uri, op.local), op]));
  const understood = new Set([...DEFAULT_UNDERSTOOD, ...(options.understoodHeaders ?? [])].map((h) => key(h.uri, h.local)));
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const log = options.logger;

  async function handle(req: IncomingMessage): Promise<SoapReply> {
    if (req.method !== 'POST') {
      return { status: 405, headers: { Allow: 'POST' }, body: 'SOAP endpoint: send SOAP 1.2 requests with POST\n', contentType: 'text/plain; charset=utf-8' };
    }
    const read = await readRequestBody(req, maxBodyBytes);
    if (!read.ok) {
      log.warn({ reason: read.reason, path: req.url }, 'SOAP request refused');
      const reply = faultReply({ code: 'Sender', subcodes: [ter('InvalidArgs')], reason: read.reason, httpStatus: read.status });
      return { ...reply, headers: { Connection: 'close' } };
    }
    let message: SoapMessage;
    try {
      message = parseSoapEnvelope(read.body, { maxBytes: maxBodyBytes, maxDepth: 64, maxElements: 10_000, source: req.socket.remoteAddress });
    } catch (error) {
      if (error instanceof XmlRejectedError) {
        log.warn({ reason: error.reason, detail: error.message }, 'SOAP request is not acceptable XML');
        return faultReply({ code: 'Sender', subcodes: [ter('WellFormed')], reason: error.message });
      }
      if (error instanceof SoapFaultError) return faultReply(error);
      throw error;
    }
    const notUnderstood = mustUnderstandHeaders(message.header).filter((h) => !UNDERSTOOD_NAMESPACES.has(h.uri) && !understood.has(key(h.uri, h.local)));
    if (notUnderstood.length > 0) {
      const names = notUnderstood.map((h) => `{${h.uri}}${h.local}`).join(', ');
      return faultReply({ code: 'MustUnderstand', reason: `header block(s) not understood: ${names}` });
    }
    const operation = message.operation;
    if (!operation) return faultReply({ code: 'Sender', subcodes: [ter('InvalidArgs')], reason: 'the SOAP body is empty' });
    const named = { uri: operation.uri, local: operation.local };
    const op = table.get(key(operation.uri, operation.local));
    if (!op) {
      log.debug({ operation: key(operation.uri, operation.local) }, 'SOAP operation not supported');
      return {
        ...faultReply({ code: 'Receiver', subcodes: [ter('ActionNotSupported')], reason: `operation ${operation.local} (${operation.uri || 'no namespace'}) is not supported by this device` }),
        operation: named,
      };
    }
    const context: SoapRequestContext = {
      request: req,
      message,
      operation,
      access: op.access,
      localAddress: normaliseAddress(req.socket.localAddress),
      localPort: req.socket.localPort ?? 0,
    };
    if (options.authorize) {
      const decision = await options.authorize(context, read.body);
      if (!decision.allowed) return { ...faultReply({ ...decision.fault, httpStatus: decision.status }, decision.headers), operation: named };
      context.user = decision.user;
    }
    try {
      const content = await op.handle(context);
      return { status: 200, body: serializeSoap(content), operation: named };
    } catch (error) {
      if (error instanceof SoapFaultError) return { ...faultReply(error), operation: named };
      log.error({ err: error, operation: operation.local }, 'SOAP operation failed');
      const reason = isVigieError(error) ? error.message : 'internal error';
      return { ...faultReply({ code: 'Receiver', subcodes: [ter('Action')], reason }), operation: named };
    }
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    handle(req)
      .then((reply) => (options.interceptReply ? options.interceptReply(reply, { request: req }) : reply))
      .then((reply) => {
        sendReply(res, reply);
        log.debug({ path: req.url, operation: reply.operation?.local, status: reply.status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'SOAP request');
      })
      .catch((error: unknown) => {
        log.error({ err: error, path: req.url }, 'SOAP endpoint failed');
        sendReply(res, faultReply({ code: 'Receiver', reason: 'internal error' }));
      });
  };
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; IPv6 addresses are kept. */
export function normaliseAddress(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
