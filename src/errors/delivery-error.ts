import { VigieError, type VigieErrorOptions } from './vigie-error.js';

/** A delivery-side operation cannot be done as asked (e.g. replaying dead letters of an output that does not exist). */
export class DeliveryError extends VigieError {
  readonly code = 'DELIVERY_FAILED';

  constructor(message: string, options: VigieErrorOptions = {}) {
    super(message, options);
  }
}
