import { VigieError } from './vigie-error.js';

/**
 * A rule sent by an ONVIF client (Analytics service CreateRules / ModifyRules) cannot become a Vigie rule: an
 * unsupported rule type, a missing or malformed geometry, a parameter Vigie does not know, or a value the rule
 * schema refuses. The device side answers it as a `ter:InvalidRule` fault carrying this message.
 */
export class OnvifRuleError extends VigieError {
  readonly code = 'ONVIF_RULE_INVALID';

  constructor(
    readonly ruleName: string,
    detail: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super(`ONVIF rule "${ruleName}" refused: ${detail}`, {
      cause: options.cause,
      hint:
        options.hint ??
        'send a tt:FieldDetector (ElementItem Field with a tt:Polygon), tt:LineDetector (ElementItem Segments with a two-point tt:Polyline) or tt:LoiteringDetector rule with coordinates between -1 and 1, as GetSupportedRules describes',
    });
  }
}
