import { SoapFaultError, type FaultQName, type SoapFaultCode, type SoapFaultInit } from '../errors/index.js';
import { NS } from './namespaces.js';
import { soapNs } from './soap-envelope.js';
import { qname, qnames, xmlNamespace, type QName, type XmlElementNode } from './xml-builder.js';
import type { XmlElement } from './xml-element.js';

const xmlNs = xmlNamespace('xml', NS.xml);
const KNOWN_PREFIXES = new Map<string, string>(Object.entries(NS).map(([prefix, uri]) => [uri, prefix]));

function toQName(name: FaultQName, extra: Map<string, string>): QName {
  let prefix = KNOWN_PREFIXES.get(name.uri) ?? extra.get(name.uri);
  if (!prefix) {
    prefix = `f${extra.size + 1}`;
    extra.set(name.uri, prefix);
  }
  return qname(name.uri, prefix, name.local);
}

/** ONVIF error subcodes (namespace `ter`). */
export function ter(local: string): FaultQName {
  return { uri: NS.ter, local };
}

/** The `s:Fault` element for a fault (put it in the body of an envelope). */
export function soapFault(fault: SoapFaultError | SoapFaultInit): XmlElementNode {
  const code = fault instanceof SoapFaultError ? fault.faultCode : fault.code;
  const subcodes = fault.subcodes ?? [];
  const extra = new Map<string, string>();
  let subcode: XmlElementNode | undefined;
  for (const sub of [...subcodes].reverse()) {
    subcode = soapNs('Subcode', [soapNs('Value', qnames(toQName(sub, extra))), subcode]);
  }
  return soapNs('Fault', [
    soapNs('Code', [soapNs('Value', qnames(soapNs.qname(code))), subcode]),
    soapNs('Reason', [soapNs('Text', [xmlNs.attr('lang', 'en'), fault.reason])]),
  ]);
}

const SOAP_CODES: readonly SoapFaultCode[] = ['Sender', 'Receiver', 'MustUnderstand', 'VersionMismatch', 'DataEncodingUnknown'];

/**
 * Reads a fault from a SOAP body (`s:Fault` of SOAP 1.2, or `faultcode`/`faultstring` of SOAP 1.1), or undefined
 * when the body holds no fault. `httpStatus` is the status the reply came with.
 */
export function parseSoapFault(body: XmlElement, options: { httpStatus?: number; source?: string } = {}): SoapFaultError | undefined {
  const fault12 = body.child(NS.soap, 'Fault');
  if (fault12) {
    const codeEl = fault12.child(NS.soap, 'Code');
    const value = codeEl?.child(NS.soap, 'Value');
    const resolved = value ? value.resolveQName(value.text) : undefined;
    const code = SOAP_CODES.find((c) => c === resolved?.local) ?? 'Receiver';
    const subcodes: FaultQName[] = [];
    for (let sub = codeEl?.child(NS.soap, 'Subcode'); sub; sub = sub.child(NS.soap, 'Subcode')) {
      const v = sub.child(NS.soap, 'Value');
      const q = v ? v.resolveQName(v.text) : undefined;
      if (q) subcodes.push({ uri: q.uri, local: q.local });
    }
    const texts = fault12.child(NS.soap, 'Reason')?.childrenNamed(NS.soap, 'Text') ?? [];
    const text = texts.find((t) => (t.attribute('lang', NS.xml) ?? '').toLowerCase().startsWith('en')) ?? texts[0];
    return new SoapFaultError({ code, subcodes, reason: text?.text.trim() || 'no reason given', httpStatus: options.httpStatus, source: options.source });
  }
  const fault11 = body.child(NS.soap11, 'Fault');
  if (fault11) {
    const codeEl = fault11.child('', 'faultcode');
    const local = codeEl ? (codeEl.resolveQName(codeEl.text)?.local ?? codeEl.text.trim()) : '';
    const code: SoapFaultCode = local === 'Client' ? 'Sender' : local === 'VersionMismatch' || local === 'MustUnderstand' ? local : 'Receiver';
    return new SoapFaultError({ code, reason: fault11.childText('', 'faultstring') || 'no reason given', httpStatus: options.httpStatus, source: options.source });
  }
  return undefined;
}
