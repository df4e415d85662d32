import { frVsaRuleProblem, type RuleConfig } from '../config/index.js';
import { RuleRefusedError } from '../errors/index.js';
import { AbandonedObjectRule } from './abandoned-object.js';
import { CrowdDensityRule } from './crowd-density.js';
import { CrowdMovementRule } from './crowd-movement.js';
import { FireRule } from './fire.js';
import { IntrusionRule } from './intrusion.js';
import { LineCrossingRule } from './line-crossing.js';
import { LoiteringRule } from './loitering.js';
import { PersonDownRule } from './person-down.js';
import type { AvailableModel, Rule } from './rule.js';
import { WeaponRule } from './weapon.js';
import { WrongWayRule } from './wrong-way.js';

export interface RuleContext {
  cameraId: string;
  mode: 'standard' | 'fr-vsa';
  /** Event types the deployment may raise (rules.enabledEventTypes). */
  enabledEventTypes: readonly string[];
  /** Models Vigie runs on this camera. */
  models: readonly AvailableModel[];
}

/** Builds a rule from its configuration, or throws RuleRefusedError naming why it cannot run and the fix. */
export function createRule(config: RuleConfig, context: RuleContext): Rule {
  const refuse = (reason: string, hint: string) => new RuleRefusedError(context.cameraId, config.name, reason, hint);
  if (!context.enabledEventTypes.includes(config.type)) {
    throw refuse(`its type ${config.type} is not in rules.enabledEventTypes`, 'add the type to rules.enabledEventTypes (if the authorisation allows it) or remove the rule');
  }
  if (context.mode === 'fr-vsa') {
    const problem = frVsaRuleProblem(config);
    if (problem) throw refuse(problem, 'fr-vsa mode allows only the eight event kinds of décret 2023-828 art. 3; change the rule or set rules.mode to standard');
  }
  switch (config.type) {
    case 'intrusion':
      return new IntrusionRule(config);
    case 'line_crossing':
      return new LineCrossingRule(config);
    case 'wrong_way':
      return new WrongWayRule(config);
    case 'loitering':
      return new LoiteringRule(config);
    case 'abandoned_object':
      return new AbandonedObjectRule(config);
    case 'person_down':
      return new PersonDownRule(config);
    case 'crowd_density':
      return new CrowdDensityRule(config);
    case 'crowd_movement':
      return new CrowdMovementRule(config);
    case 'weapon':
      return new WeaponRule(config);
    case 'fire': {
      const model = context.models.find((m) => m.id === config.model);
      if (!model) {
        throw refuse(
          `it needs the fire and smoke model "${config.model}", which Vigie does not run (running: ${context.models.map((m) => m.id).join(', ') || 'none'}); Vigie has no colour heuristic for fire`,
          `add a fire and smoke detection model (models/${config.model}.json with its weights) and run it on this camera, or remove the rule`,
        );
      }
      const missing = config.classes.filter((c) => !model.classes.includes(c));
      if (missing.length === config.classes.length) {
        throw refuse(`model "${model.id}" has none of the classes ${config.classes.join(', ')}`, `set classes to the fire and smoke class names of model "${model.id}"`);
      }
      return new FireRule(config);
    }
  }
}
