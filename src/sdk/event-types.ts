/**
 * The event types Vigie can raise. The first eight are the only ones the French algorithmic video
 * surveillance framework authorises (décret 2023-828, art. 3); `loitering` and `line_crossing` counting are
 * available outside that framework (standard mode) and refused in `fr-vsa` mode, except a line crossing into a
 * forbidden zone, which is the framework's event 4.
 */
export const EVENT_TYPES = [
  'abandoned_object',
  'weapon',
  'wrong_way',
  'intrusion',
  'person_down',
  'crowd_movement',
  'crowd_density',
  'fire',
  'loitering',
  'line_crossing',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface EventTypeInfo {
  /** What an operator is told. */
  title: string;
  /** Code of the décret 2023-828 art. 3 event this type implements, when it is one of the eight. */
  frCode: string | undefined;
  /** ONVIF topic the event is published under (tns1 = http://www.onvif.org/ver10/topics, vigie = VIGIE_TOPIC_NAMESPACE). */
  onvifTopic: string;
}

/** Namespace of Vigie's own ONVIF topics, for the events ONVIF has no standard topic for. */
export const VIGIE_TOPIC_NAMESPACE = 'http://vigie.dev/ns/2026/topics';

export const EVENT_TYPE_INFO: Readonly<Record<EventType, EventTypeInfo>> = {
  abandoned_object: { title: 'Abandoned object', frCode: 'FR_ABANDONED_OBJECT', onvifTopic: 'tns1:RuleEngine/ObjectAbandoned' },
  weapon: { title: 'Weapon', frCode: 'FR_WEAPON', onvifTopic: 'vigie:RuleEngine/WeaponDetector/Weapon' },
  wrong_way: { title: 'Wrong-way movement', frCode: 'FR_WRONG_DIRECTION', onvifTopic: 'vigie:RuleEngine/WrongWayDetector/WrongWay' },
  intrusion: { title: 'Intrusion in a forbidden zone', frCode: 'FR_ZONE_INTRUSION', onvifTopic: 'tns1:RuleEngine/FieldDetector/ObjectsInside' },
  person_down: { title: 'Person on the ground', frCode: 'FR_PERSON_DOWN', onvifTopic: 'vigie:RuleEngine/PersonDownDetector/PersonDown' },
  crowd_movement: { title: 'Crowd movement', frCode: 'FR_CROWD_MOVEMENT', onvifTopic: 'vigie:RuleEngine/CrowdMovementDetector/CrowdMovement' },
  crowd_density: { title: 'Excessive density', frCode: 'FR_OVER_DENSITY', onvifTopic: 'vigie:RuleEngine/CrowdDensityDetector/OverDensity' },
  fire: { title: 'Fire start', frCode: 'FR_FIRE_START', onvifTopic: 'vigie:RuleEngine/FireDetector/Fire' },
  loitering: { title: 'Loitering', frCode: undefined, onvifTopic: 'tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering' },
  line_crossing: { title: 'Line crossing', frCode: 'FR_ZONE_INTRUSION', onvifTopic: 'tns1:RuleEngine/LineDetector/Crossed' },
};

/** Event types allowed in `fr-vsa` mode. */
export const FR_VSA_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => EVENT_TYPE_INFO[t].frCode !== undefined);
