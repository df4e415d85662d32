import type { Logger } from '../logging/index.js';
import { faultReply, ter, type SoapEndpointOptions } from '../soap/index.js';
import type { SimulatedFault } from './options.js';

/** The reply interceptor that makes a camera misbehave on purpose (`--fault`), or undefined for `none`. */
export function faultInjector(fault: SimulatedFault, logger: Logger): SoapEndpointOptions['interceptReply'] {
  switch (fault.kind) {
    case 'none':
      return undefined;
    case 'soap-500':
      return (reply) => {
        logger.debug({ operation: reply.operation?.local }, 'injecting a SOAP 500 fault');
        return { ...faultReply({ code: 'Receiver', subcodes: [ter('Action')], reason: 'simulated device failure (--fault soap-500)', httpStatus: 500 }), operation: reply.operation };
      };
    case 'malformed-xml':
      return (reply) => {
        const text = reply.body.toString();
        // Cut the document in the middle of an element and leave an unclosed tag: not well-formed, as broken firmware sends.
        const cut = text.slice(0, Math.max(40, Math.floor(text.length / 2)));
        return { ...reply, status: 200, body: `${cut}<broken attr="unterminated>` };
      };
    case 'slow':
      return (reply) => new Promise((resolve) => setTimeout(() => resolve(reply), fault.delayMs));
  }
}
