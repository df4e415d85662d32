import { NotOnvifEndpointError, OnvifFaultError, OnvifMalformedResponseError, XmlRejectedError } from '../errors/index.js';
import { authenticateHeaders } from '../auth/index.js';
import { NS, parseSoapFault, parseXml, type ExpandedName, type XmlElement } from '../soap/index.js';
import type { HttpAnswer } from './http-post.js';

/** What a SOAP exchange came to, once read. */
export type SoapOutcome =
  | { kind: 'ok'; response: XmlElement }
  | { kind: 'fault'; error: OnvifFaultError; notAuthorized: boolean }
  | { kind: 'challenge'; challenges: string[] };

export interface AnswerContext {
  device: string;
  operation: string;
  /** The element the body must hold on success (`tds:GetDeviceInformationResponse`). */
  expected: ExpandedName;
  /** Largest XML accepted, in bytes. */
  maxBytes: number;
}

/** XML limits for camera answers: profiles lists can be long, but nothing needs more. */
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 100_000;

function startsLikeXml(body: Buffer): boolean {
  const head = body.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') || body[0] === 0xff || body[0] === 0xfe;
}

function looksLikeHtml(answer: HttpAnswer): boolean {
  const type = String(answer.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('text/html') || type.includes('application/xhtml')) return true;
  const head = answer.body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

function htmlTitle(body: Buffer): string | undefined {
  const m = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(body.subarray(0, 16_384).toString('utf8'));
  return m?.[1]?.trim() || undefined;
}

function snippet(body: Buffer): string {
  return JSON.stringify(body.subarray(0, 80).toString('utf8').replace(/\s+/g, ' ').trim());
}

/** True for faults that mean "who are you?": ONVIF's ter:NotAuthorized, WS-Security's FailedAuthentication and the like. */
function isAuthFault(fault: { subcodes: readonly { local: string }[]; reason: string }, status: number): boolean {
  if (fault.subcodes.some((s) => /^(NotAuthorized|FailedAuthentication|InvalidSecurityToken|InvalidSecurity|FailedCheck|MessageExpired)$/.test(s.local))) return true;
  return (status === 400 || status === 401 || status === 403) && /not ?authori[sz]ed|unauthori[sz]ed|authenticat|wsse|security|password/i.test(fault.reason);
}

/**
 * Reads an HTTP answer to a SOAP call: the expected response element, a SOAP fault (`OnvifFaultError`), or an
 * authentication challenge (401). Anything else throws what it is: `NotOnvifEndpointError` for web pages,
 * redirects, 404s and non-SOAP content; `OnvifMalformedResponseError` for broken XML or the wrong response.
 */
export function readSoapAnswer(answer: HttpAnswer, ctx: AnswerContext): SoapOutcome {
  const { device, operation } = ctx;
  const status = answer.status;
  if (status === 401) return { kind: 'challenge', challenges: authenticateHeaders(answer.rawHeaders) };
  if (status >= 300 && status < 400) {
    const location = typeof answer.headers.location === 'string' ? answer.headers.location : undefined;
    throw new NotOnvifEndpointError(device, 'redirect', `it redirects (HTTP ${status}) to ${location ?? 'another address'}`, { location });
  }
  if (looksLikeHtml(answer)) {
    const title = htmlTitle(answer.body);
    throw new NotOnvifEndpointError(device, status === 404 ? 'not-found' : 'html', `it answers ${operation} with a web page (HTTP ${status}${title ? `, "${title}"` : ''})`);
  }
  if (answer.body.length === 0) {
    if (status >= 200 && status < 300) throw new OnvifMalformedResponseError(device, operation, `HTTP ${status} with an empty body`);
    throw new NotOnvifEndpointError(device, status === 404 ? 'not-found' : 'http-status', `it answers ${operation} with HTTP ${status} and no content`);
  }
  if (!startsLikeXml(answer.body)) {
    const type = String(answer.headers['content-type'] ?? 'no content type');
    throw new NotOnvifEndpointError(device, status === 404 ? 'not-found' : 'not-soap', `it answers ${operation} with HTTP ${status}, ${type}, not XML: ${snippet(answer.body)}`);
  }
  let root: XmlElement;
  try {
    root = parseXml(answer.body, { maxBytes: ctx.maxBytes, maxDepth: MAX_DEPTH, maxElements: MAX_ELEMENTS, source: device });
  } catch (error) {
    if (error instanceof XmlRejectedError) {
      throw new OnvifMalformedResponseError(device, operation, `${error.reason === 'malformed' ? 'the XML is not well-formed' : `the XML was refused (${error.reason})`}: ${error.message.replace(/^XML (from \S+ )?refused \([^)]*\): /, '')}`, { cause: error });
    }
    throw error;
  }
  const soap12 = root.is(NS.soap, 'Envelope');
  if (!soap12 && !root.is(NS.soap11, 'Envelope')) {
    const name = `${root.uri ? `{${root.uri}}` : ''}${root.local}`;
    throw new NotOnvifEndpointError(device, status === 404 ? 'not-found' : 'not-soap', `it answers ${operation} with an XML document ${name}, not a SOAP envelope (HTTP ${status})`);
  }
  const body = root.child(soap12 ? NS.soap : NS.soap11, 'Body');
  if (!body) throw new OnvifMalformedResponseError(device, operation, 'the SOAP envelope has no Body');
  const fault = parseSoapFault(body, { httpStatus: status, source: device });
  if (fault) {
    const error = new OnvifFaultError(device, operation, fault.faultCode, fault.subcodes, fault.reason, status, { cause: fault });
    return { kind: 'fault', error, notAuthorized: isAuthFault(fault, status) };
  }
  if (!soap12) throw new NotOnvifEndpointError(device, 'soap11', `it answers ${operation} in SOAP 1.1 (ONVIF uses SOAP 1.2)`);
  if (status < 200 || status >= 300) throw new OnvifMalformedResponseError(device, operation, `HTTP ${status} with a SOAP body that is not a fault`);
  const response = body.children[0];
  if (!response) throw new OnvifMalformedResponseError(device, operation, 'the SOAP Body is empty');
  if (!response.is(ctx.expected.uri, ctx.expected.local)) {
    throw new OnvifMalformedResponseError(device, operation, `expected {${ctx.expected.uri}}${ctx.expected.local}, got {${response.uri}}${response.local}`);
  }
  return { kind: 'ok', response };
}
