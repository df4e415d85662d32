import { VigieError } from './vigie-error.js';

/** WS-Discovery could not join its multicast group on the chosen interface address. */
export class MulticastJoinError extends VigieError {
  readonly code = 'DISCOVERY_MULTICAST_FAILED';

  constructor(readonly group: string, readonly interfaceAddress: string, cause: unknown) {
    super(`cannot join multicast group ${group} on ${interfaceAddress}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      hint: 'give the IPv4 address of an interface of this machine (ip -4 addr lists them), or turn WS-Discovery off',
    });
  }
}
