import { SoapFaultError } from '../errors/index.js';
import { ter } from '../soap/index.js';

/** A `Sender` fault with ONVIF subcodes (`InvalidArgVal`, then the specific one). */
export function senderFault(reason: string, ...subcodes: string[]): SoapFaultError {
  return new SoapFaultError({ code: 'Sender', subcodes: subcodes.map((s) => ter(s)), reason });
}

/** A `Receiver` fault with ONVIF subcodes (`Action`, then the specific one). */
export function receiverFault(reason: string, ...subcodes: string[]): SoapFaultError {
  return new SoapFaultError({ code: 'Receiver', subcodes: subcodes.map((s) => ter(s)), reason });
}
