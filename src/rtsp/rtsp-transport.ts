/** One transport specification of a SETUP request's `Transport` header (RFC 2326 §12.39). */
export interface TransportSpec {
  /** `RTP/AVP`, `RTP/AVP/UDP`, `RTP/AVP/TCP`... upper-cased. */
  protocol: string;
  lowerTransport: 'UDP' | 'TCP';
  multicast: boolean;
  interleaved?: [number, number];
  clientPort?: [number, number];
  destination?: string;
}

function range(value: string | undefined): [number, number] | undefined {
  if (!value) return undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] !== undefined ? Number(m[2]) : a + 1;
  return a <= 65535 && b <= 65535 ? [a, b] : undefined;
}

/** The alternatives a client offers, in its order of preference; unparseable ones are left out. */
export function parseTransport(header: string | undefined): TransportSpec[] {
  if (!header) return [];
  const specs: TransportSpec[] = [];
  for (const alternative of header.split(',')) {
    const [protocolPart, ...params] = alternative.trim().split(';');
    const protocol = (protocolPart ?? '').trim().toUpperCase();
    if (!protocol.startsWith('RTP/AVP')) continue;
    const spec: TransportSpec = { protocol, lowerTransport: protocol.endsWith('/TCP') ? 'TCP' : 'UDP', multicast: false };
    for (const param of params) {
      const [rawName, value] = param.split('=', 2) as [string, string | undefined];
      const name = rawName.trim().toLowerCase();
      if (name === 'multicast') spec.multicast = true;
      else if (name === 'interleaved') spec.interleaved = range(value);
      else if (name === 'client_port') spec.clientPort = range(value);
      else if (name === 'destination' && value) spec.destination = value.trim();
    }
    specs.push(spec);
  }
  return specs;
}
