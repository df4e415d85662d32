import type { FaultQName, SoapFaultCode } from './soap-fault-error.js';
import { VigieError } from './vigie-error.js';

/** A SOAP fault a camera answered, with the operation that caused it. */
export class OnvifFaultError extends VigieError {
  readonly code = 'ONVIF_SOAP_FAULT';

  constructor(
    readonly device: string,
    readonly operation: string,
    readonly faultCode: SoapFaultCode,
    readonly subcodes: readonly FaultQName[],
    readonly reason: string,
    readonly httpStatus: number,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    const sub = subcodes.length ? `/${subcodes.map((s) => s.local).join('/')}` : '';
    super(`camera ${device} answered ${operation} with SOAP fault ${faultCode}${sub} (HTTP ${httpStatus}): ${reason}`, {
      cause: options.cause,
      hint: options.hint ?? faultHint(faultCode, subcodes),
    });
  }

  hasSubcode(local: string): boolean {
    return this.subcodes.some((s) => s.local === local);
  }
}

function faultHint(code: SoapFaultCode, subcodes: readonly FaultQName[]): string {
  const names = new Set(subcodes.map((s) => s.local));
  if (names.has('NotAuthorized')) return 'the camera refused the credentials or their rights: check the user name, password and the user level (operator or above)';
  if (names.has('ActionNotSupported') || names.has('NoSuchService')) return 'the camera does not implement this operation: update its firmware, or report the model so a vendor profile (onvif-profiles/) can work around it';
  if (names.has('InvalidArgVal') || names.has('InvalidArgs')) return 'the camera refused an argument of the request: report the model and firmware so a vendor profile can work around it';
  if (code === 'Receiver') return 'the camera failed while answering: retry, reboot it if it persists, and check for a firmware update';
  return 'the camera refused the request: the fault subcode says why; report the model and firmware if it persists';
}
