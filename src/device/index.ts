export { createOnvifDevice, type OnvifDevice, type OnvifDeviceOptions, type OnvifDeviceStartOptions } from './onvif-device.js';
export type { DeviceBackend, DeviceVideoSource } from './backend.js';
export { ruleFromOnvif, ruleParameters, toOnvifPoint, fromOnvifPoint, onvifRuleType, VIGIE_ANALYTICS_NS } from './rule-mapping.js';
export { EVENT_TOPICS, ALL_TOPICS, type EventTopic } from './event-topics.js';
export { notificationFor, notificationElement, type NotificationMessage } from './event-messages.js';
