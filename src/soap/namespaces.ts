/** Namespace URIs used by SOAP, WS-Addressing, WS-Security, WS-Discovery and ONVIF. Match on these, never on prefixes. */
export const NS = {
  /** SOAP 1.2 envelope. */
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  /** SOAP 1.1 envelope (only to recognise it and answer VersionMismatch). */
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  /** WS-Addressing 2004/08 (the one WS-Discovery 2005/04 uses). */
  wsa2004: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  /** WS-Addressing 1.0 (2005/08, ONVIF events). */
  wsa: 'http://www.w3.org/2005/08/addressing',
  /** WS-Discovery 2005/04. */
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  /** ONVIF schema types. */
  tt: 'http://www.onvif.org/ver10/schema',
  /** ONVIF device management service. */
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  /** ONVIF media service (ver10). */
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  /** ONVIF media2 service (ver20). */
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  /** ONVIF event service. */
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  /** ONVIF analytics service (ver20). */
  tan: 'http://www.onvif.org/ver20/analytics/wsdl',
  /** ONVIF error subcodes. */
  ter: 'http://www.onvif.org/ver10/error',
  /** ONVIF network (legacy discovery type NetworkVideoTransmitter). */
  dn: 'http://www.onvif.org/ver10/network/wsdl',
} as const;

/** WS-Security token profile URIs. */
export const WSSE_PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
export const WSSE_PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const WSSE_BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
