import { VigieError } from './vigie-error.js';

/** SOAP 1.2 fault codes (`env:Code/env:Value`). */
export type SoapFaultCode = 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch' | 'DataEncodingUnknown';

/** A namespace-qualified name, such as ONVIF's `ter:NotAuthorized` subcode. */
export interface FaultQName {
  /** Namespace URI, e.g. `http://www.onvif.org/ver10/error`. */
  uri: string;
  /** Local name, e.g. `NotAuthorized`. */
  local: string;
}

export interface SoapFaultInit {
  code: SoapFaultCode;
  /** Subcodes from the outermost to the innermost (`ter:InvalidArgVal`, then `ter:NoProfile`). */
  subcodes?: readonly FaultQName[];
  /** Human-readable reason (`env:Reason/env:Text`). */
  reason: string;
  /** HTTP status to answer with; by default 400 for Sender faults and 500 otherwise (SOAP 1.2 HTTP binding). */
  httpStatus?: number;
  /** Where the fault came from, for messages (a device URL). */
  source?: string;
  cause?: unknown;
  hint?: string;
}

/**
 * A SOAP fault: thrown by service handlers to answer with a fault, and built by clients from a fault they received.
 * `subcodes` carry ONVIF's `ter:` codes (NotAuthorized, ActionNotSupported, InvalidArgVal...).
 */
export class SoapFaultError extends VigieError {
  readonly code = 'SOAP_FAULT';
  readonly faultCode: SoapFaultCode;
  readonly subcodes: readonly FaultQName[];
  readonly reason: string;
  readonly httpStatus: number;

  constructor(init: SoapFaultInit) {
    const sub = init.subcodes?.length ? ` [${init.subcodes.map((s) => s.local).join('/')}]` : '';
    super(`SOAP fault ${init.code}${sub}${init.source ? ` from ${init.source}` : ''}: ${init.reason}`, {
      cause: init.cause,
      hint: init.hint ?? 'the device refused the request; the subcode says why (NotAuthorized: check the user name, password and clock)',
    });
    this.faultCode = init.code;
    this.subcodes = init.subcodes ?? [];
    this.reason = init.reason;
    this.httpStatus = init.httpStatus ?? (init.code === 'Sender' ? 400 : 500);
  }

  /** True when one of the subcodes has this local name (and namespace, when given). */
  hasSubcode(local: string, uri?: string): boolean {
    return this.subcodes.some((s) => s.local === local && (uri === undefined || s.uri === uri));
  }
}
