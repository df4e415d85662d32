export { NS, WSSE_PASSWORD_DIGEST, WSSE_PASSWORD_TEXT, WSSE_BASE64_BINARY } from './namespaces.js';
export { XmlElement, type ExpandedName, type XmlAttribute } from './xml-element.js';
export { parseXml, isNil, DEFAULT_XML_LIMITS, type XmlParseOptions } from './xml-parse.js';
export {
  xmlNamespace,
  element,
  unqualified,
  qname,
  qnames,
  qnameAttr,
  serializeXml,
  escapeText,
  escapeAttribute,
  type QName,
  type XmlNamespace,
  type XmlContent,
  type XmlAttributes,
  type XmlElementNode,
  type XmlAttributeNode,
  type XmlChildNode,
  type SerializeOptions,
} from './xml-builder.js';
export { soapNs, soapEnvelope, serializeSoap, parseSoapEnvelope, mustUnderstandHeaders, type SoapMessage } from './soap-envelope.js';
export { soapFault, parseSoapFault, ter } from './soap-fault.js';
export { readRequestBody, sendReply, SOAP_CONTENT_TYPE, type HttpReply, type BodyResult } from './soap-http.js';
export {
  createSoapEndpoint,
  faultReply,
  normaliseAddress,
  type AccessClass,
  type SoapOperation,
  type SoapRequestContext,
  type SoapAuthorizer,
  type AuthDecision,
  type SoapReply,
  type SoapEndpointOptions,
} from './soap-endpoint.js';
