import { VigieError } from './vigie-error.js';

/** A discovery interface was asked for that this machine does not have, or there is none to use. */
export class DiscoveryInterfaceError extends VigieError {
  readonly code = 'DISCOVERY_INTERFACE_UNKNOWN';

  constructor(detail: string, available: readonly string[]) {
    super(detail, {
      hint: available.length
        ? `use the IPv4 address (or name) of an interface of this machine: ${available.join(', ')}`
        : 'this machine has no usable IPv4 interface: connect it to the camera network, or give --target addresses',
    });
  }
}
