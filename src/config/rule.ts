import { z } from 'zod';
import { lineSchema, polygonSchema } from './coordinates.js';

const PERSON_OR_VEHICLE = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'];

const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, { error: 'rule names use letters, digits, "_", "-" and "." only (they become ONVIF rule names)' })
  .describe('rule name, unique on its camera (required); ONVIF clients see it as the rule name');

/** Fields every rule has. */
const common = {
  name,
  enabled: z.boolean().default(true).describe('evaluate this rule'),
  minConfidence: z.number().min(0).max(1).default(0.4).describe('detections below this confidence are ignored by this rule'),
  cooldownSeconds: z
    .number()
    .min(0)
    .default(30)
    .describe('after an event ends, the same rule does not raise a new one for the same object or zone for this long'),
  debounceSeconds: z
    .number()
    .min(0)
    .default(1)
    .describe('a condition must hold this long before an event starts, and be gone this long before it ends'),
};

const classes = (defaults: string[], what: string) =>
  z.array(z.string().min(1)).min(1).default(defaults).describe(`classes this rule watches (${what}); model class names, e.g. ${defaults.join(', ')}`);

const zone = polygonSchema.describe('the zone, a polygon in normalised coordinates (required)');
const optionalZone = polygonSchema.optional().describe('limit the rule to this polygon; unset = the whole frame');

export const intrusionRuleSchema = z
  .strictObject({
    type: z.literal('intrusion').describe('presence in, or entry into, a forbidden zone'),
    ...common,
    zone,
    classes: classes(PERSON_OR_VEHICLE, 'persons and vehicles by default'),
    minDwellSeconds: z.number().min(0).default(0.5).describe('an object must be in the zone this long to raise the event'),
    trigger: z
      .enum(['presence', 'entry'])
      .default('presence')
      .describe('presence: any object inside counts; entry: only objects seen outside first, then inside'),
  })
  .describe('intrusion: presence in, or entry into, a polygon zone');

export const lineCrossingRuleSchema = z
  .strictObject({
    type: z.literal('line_crossing').describe('crossing a line'),
    ...common,
    line: lineSchema.describe('the line, [[xA, yA], [xB, yB]] (required)'),
    direction: z
      .enum(['a_to_b', 'b_to_a', 'both'])
      .default('both')
      .describe('which crossings raise events; A→B is from the left of A→B to its right as seen on screen'),
    classes: classes(['person'], 'persons by default'),
    reportIntervalSeconds: z.number().positive().default(60).describe('how often the per-direction counters are published'),
  })
  .describe('line crossing with per-direction counters');

export const wrongWayRuleSchema = z
  .strictObject({
    type: z.literal('wrong_way').describe('movement against the allowed direction'),
    ...common,
    zone,
    allowedDirection: z
      .number()
      .min(0)
      .lt(360)
      .describe('allowed direction of travel in degrees on screen (required): 0 = right, 90 = down, 180 = left, 270 = up'),
    angleToleranceDegrees: z
      .number()
      .min(0)
      .max(180)
      .default(60)
      .describe('movement within this angle of the opposite of the allowed direction is wrong-way'),
    minDisplacement: z.number().positive().max(1).default(0.05).describe('minimum distance moved (normalised) before a direction is judged'),
    minDurationSeconds: z.number().min(0).default(1).describe('the wrong-way movement must last this long'),
    classes: classes(PERSON_OR_VEHICLE, 'persons and vehicles by default'),
  })
  .describe('wrong-way movement in a zone with one allowed direction');

export const loiteringRuleSchema = z
  .strictObject({
    type: z.literal('loitering').describe('staying in a zone too long'),
    ...common,
    zone,
    durationSeconds: z.number().positive().default(60).describe('time in the zone after which an object is loitering'),
    classes: classes(['person'], 'persons by default'),
  })
  .describe('loitering: staying in a zone longer than a duration (not available in fr-vsa mode)');

export const abandonedObjectRuleSchema = z
  .strictObject({
    type: z.literal('abandoned_object').describe('an unattended object'),
    ...common,
    zone: optionalZone,
    classes: classes(['backpack', 'handbag', 'suitcase'], 'bag-like objects'),
    stationarySeconds: z.number().positive().default(60).describe('how long the object must stay still with nobody near it'),
    ownerRadius: z
      .number()
      .positive()
      .max(1)
      .default(0.1)
      .describe('a person closer than this (normalised, box edge to box edge) attends the object'),
    maxMovement: z.number().positive().max(1).default(0.02).describe('an object that moves less than this (normalised) is stationary'),
  })
  .describe('abandoned object: a bag stationary for a duration with nobody within a radius');

export const personDownRuleSchema = z
  .strictObject({
    type: z.literal('person_down').describe('a person on the ground after a fall'),
    ...common,
    zone: optionalZone,
    durationSeconds: z.number().positive().default(10).describe('how long the person must stay down'),
    lyingAspectRatio: z
      .number()
      .positive()
      .default(1.2)
      .describe('a person box wider than tall by this ratio is lying (width / height, in pixels)'),
    maxMovement: z.number().positive().max(1).default(0.05).describe('a person moving more than this while down is not counted as fallen'),
  })
  .describe('person down: upright then lying, staying so without moving on');

export const crowdDensityRuleSchema = z
  .strictObject({
    type: z.literal('crowd_density').describe('too many persons in a zone'),
    ...common,
    zone,
    maxCount: z.number().int().positive().optional().describe('persons in the zone above which density is excessive'),
    maxPerSquareMetre: z.number().positive().optional().describe('persons per square metre above which density is excessive; needs areaSquareMetres'),
    areaSquareMetres: z.number().positive().optional().describe('ground area of the zone in square metres'),
    classes: classes(['person'], 'persons by default'),
  })
  .refine((r) => r.maxCount !== undefined || r.maxPerSquareMetre !== undefined, {
    error: 'set maxCount, or maxPerSquareMetre with areaSquareMetres',
  })
  .refine((r) => r.maxPerSquareMetre === undefined || r.areaSquareMetres !== undefined, {
    error: 'maxPerSquareMetre needs areaSquareMetres: measure the zone on the ground',
    path: ['areaSquareMetres'],
  })
  .describe('excessive density: persons per zone above a count or a density');

export const crowdMovementRuleSchema = z
  .strictObject({
    type: z.literal('crowd_movement').describe('sudden collective movement'),
    ...common,
    zone,
    minTracks: z.number().int().min(2).default(5).describe('how many persons must move together'),
    speedFactor: z.number().min(1).default(3).describe('speed, against the zone recent baseline, that counts as sudden'),
    baselineSeconds: z.number().positive().default(60).describe('length of the recent baseline'),
    classes: classes(['person'], 'persons by default'),
  })
  .describe('crowd movement: many tracks accelerating or dispersing at once');

export const weaponRuleSchema = z
  .strictObject({
    type: z.literal('weapon').describe('a weapon'),
    ...common,
    zone: optionalZone,
    classes: classes(['knife'], 'COCO knife, or the classes of an added weapon model'),
    confirmSeconds: z.number().positive().default(1).describe('the weapon must be seen over this long'),
    minConfidence: z.number().min(0).max(1).default(0.5).describe('detections below this confidence are ignored'),
  })
  .describe('weapon: a weapon class confirmed over several frames');

export const fireRuleSchema = z
  .strictObject({
    type: z.literal('fire').describe('a fire start'),
    ...common,
    zone: optionalZone,
    model: z.string().min(1).describe('id of a fire and smoke model under models/ (required): Vigie uses no colour heuristic'),
    classes: classes(['fire', 'smoke'], 'fire and smoke'),
    confirmSeconds: z.number().positive().default(3).describe('fire or smoke must be seen over this long'),
  })
  .describe('fire start: fire or smoke classes from a fire model, confirmed over time');

export const ruleSchema = z.discriminatedUnion('type', [
  intrusionRuleSchema,
  lineCrossingRuleSchema,
  wrongWayRuleSchema,
  loiteringRuleSchema,
  abandonedObjectRuleSchema,
  personDownRuleSchema,
  crowdDensityRuleSchema,
  crowdMovementRuleSchema,
  weaponRuleSchema,
  fireRuleSchema,
]);

export type RuleConfig = z.infer<typeof ruleSchema>;

/**
 * Why a rule cannot run in fr-vsa mode (décret 2023-828 art. 3 allows eight event kinds), or undefined when it can.
 * Loitering is not one of them; a line crossing counted both ways is a counting rule, while a crossing in one
 * direction into a forbidden area is the framework's event 4.
 */
export function frVsaRuleProblem(rule: Pick<RuleConfig, 'type' | 'name'> & { direction?: string }): string | undefined {
  if (rule.type === 'loitering') {
    return `rule "${rule.name}": loitering is not one of the eight events of décret 2023-828 art. 3 and is refused in fr-vsa mode: remove it, or set rules.mode to standard`;
  }
  if (rule.type === 'line_crossing' && rule.direction === 'both') {
    return `rule "${rule.name}": a line crossing counted in both directions is a counting rule, refused in fr-vsa mode: set direction to the forbidden crossing (a_to_b or b_to_a), or use an intrusion rule`;
  }
  return undefined;
}
