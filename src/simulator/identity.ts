import { createHash } from 'node:crypto';

/** Who a simulated camera says it is: stable for the same host, port and index, across restarts. */
export interface CameraIdentity {
  index: number;
  /** WS-Discovery EndpointReference address, `urn:uuid:...`. */
  endpoint: string;
  name: string;
  serialNumber: string;
  macAddress: string;
  hardwareId: string;
  hostname: string;
}

/** A name-based UUID (version 5 layout) from a seed string. */
export function uuidFromSeed(seed: string): string {
  const h = createHash('sha1').update(`vigie-simulator:${seed}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function cameraIdentity(index: number, host: string, httpPort: number, namePrefix: string): CameraIdentity {
  const uuid = uuidFromSeed(`${host}:${httpPort}:${index}`);
  const hex = uuid.replace(/-/g, '');
  // Locally administered unicast MAC (02:...), so it can never collide with a real vendor's.
  const mac = ['02', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10)].join(':');
  return {
    index,
    endpoint: `urn:uuid:${uuid}`,
    name: `${namePrefix} ${index}`,
    serialNumber: `VSIM-${hex.slice(0, 10).toUpperCase()}`,
    macAddress: mac,
    hardwareId: 'VSIM-1',
    hostname: `vigie-sim-${index}`,
  };
}
