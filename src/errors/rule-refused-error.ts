import { VigieError } from './vigie-error.js';

/** A rule cannot run: not allowed in this mode (fr-vsa), or what it needs (a fire model) is not there. */
export class RuleRefusedError extends VigieError {
  readonly code = 'RULE_REFUSED';

  constructor(
    readonly cameraId: string,
    readonly ruleName: string,
    reason: string,
    hint: string,
  ) {
    super(`camera "${cameraId}", rule "${ruleName}" refused: ${reason}`, { hint });
  }
}
