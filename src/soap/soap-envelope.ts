import { SoapFaultError } from '../errors/index.js';
import { NS } from './namespaces.js';
import { serializeXml, xmlNamespace, type XmlContent, type XmlElementNode } from './xml-builder.js';
import type { XmlElement } from './xml-element.js';
import { parseXml, type XmlParseOptions } from './xml-parse.js';

/** The SOAP 1.2 envelope namespace, prefix `s`. */
export const soapNs = xmlNamespace('s', NS.soap);

/** A SOAP 1.2 envelope around `body` (and `header` blocks, if any). */
export function soapEnvelope(body: XmlContent, header?: XmlContent): XmlElementNode {
  const hasHeader = header !== undefined && header !== null && !(Array.isArray(header) && header.length === 0);
  return soapNs('Envelope', [hasHeader ? soapNs('Header', header) : null, soapNs('Body', body)]);
}

/** The serialised SOAP 1.2 envelope, with the XML declaration. */
export function serializeSoap(body: XmlContent, header?: XmlContent): string {
  return serializeXml(soapEnvelope(body, header));
}

export interface SoapMessage {
  envelope: XmlElement;
  header: XmlElement | undefined;
  body: XmlElement;
  /** The first element of the body: the operation of a request, the response or `s:Fault` of a reply. */
  operation: XmlElement | undefined;
}

/**
 * Parses a SOAP 1.2 envelope (safely, see `parseXml`). A SOAP 1.1 envelope raises a `VersionMismatch` fault and
 * a document that is not an envelope a `Sender` fault, both as `SoapFaultError`; unparseable XML raises
 * `XmlRejectedError`.
 */
export function parseSoapEnvelope(input: string | Buffer | XmlElement, options: XmlParseOptions = {}): SoapMessage {
  const envelope = typeof input === 'string' || Buffer.isBuffer(input) ? parseXml(input, options) : input;
  if (envelope.is(NS.soap11, 'Envelope')) {
    throw new SoapFaultError({ code: 'VersionMismatch', reason: 'SOAP 1.1 envelopes are not supported: send SOAP 1.2', source: options.source });
  }
  if (!envelope.is(NS.soap, 'Envelope')) {
    throw new SoapFaultError({
      code: 'Sender',
      subcodes: [{ uri: NS.ter, local: 'WellFormed' }],
      reason: `the document is not a SOAP 1.2 envelope (root element ${envelope.uri ? `{${envelope.uri}}` : ''}${envelope.local})`,
      source: options.source,
    });
  }
  const header = envelope.child(NS.soap, 'Header');
  const body = envelope.child(NS.soap, 'Body');
  if (!body) {
    throw new SoapFaultError({ code: 'Sender', subcodes: [{ uri: NS.ter, local: 'WellFormed' }], reason: 'the SOAP envelope has no Body', source: options.source });
  }
  return { envelope, header, body, operation: body.children[0] };
}

/** Header blocks marked `mustUnderstand` (true or 1) in a parsed header. */
export function mustUnderstandHeaders(header: XmlElement | undefined): XmlElement[] {
  if (!header) return [];
  return header.children.filter((h) => {
    const v = h.attribute('mustUnderstand', NS.soap);
    return v === 'true' || v === '1';
  });
}
