/** WS-Discovery 2005/04 as ONVIF uses it (Core §7.3). */
export const WSD = {
  multicastAddress: '239.255.255.250',
  port: 3702,
  /** `To` of multicast messages. */
  multicastTo: 'urn:schemas-xmlsoap-org:ws:2005:04:discovery',
  /** `To` of replies (WS-Addressing 2004/08 anonymous role). */
  anonymous: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous',
  actions: {
    hello: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello',
    bye: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye',
    probe: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe',
    probeMatches: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches',
  },
  /** Scope matching rules. */
  matchBy: {
    rfc3986: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986',
    strcmp0: 'http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0',
  },
} as const;
