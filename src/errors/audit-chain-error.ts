import { VigieError } from './vigie-error.js';

/** The hash chain of the audit log is broken: a record was modified or deleted after it was written. */
export class AuditChainError extends VigieError {
  readonly code = 'AUDIT_CHAIN_BROKEN';

  constructor(readonly sequence: number, reason: string) {
    super(`audit log tampered with at record ${sequence}: ${reason}`, {
      hint: 'preserve the database file as evidence and report the incident to the data controller',
    });
  }
}
