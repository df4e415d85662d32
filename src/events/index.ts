export { IncidentTracker, type IncidentTransition, type IncidentTiming } from './incidents.js';
export { buildEvent, ruleConfigHash, type EventContext } from './build-event.js';
export { EvidenceStore, type EvidenceOptions } from './evidence-store.js';
export { cropLetterbox, drawBox, drawLine, drawPolygon, type Picture } from './snapshot-image.js';
export { encodeJpeg } from './jpeg.js';
export { uuidv7 } from './uuid.js';
export { openEventsFile, type EventsFile } from './events-file.js';
