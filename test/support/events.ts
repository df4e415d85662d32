import { randomBytes, randomUUID } from 'node:crypto';
import type { AnalyticsEvent, EventType } from '../../src/sdk/index.js';
import { EVENT_TYPE_INFO } from '../../src/sdk/index.js';

/** A time-ordered UUID version 7 (RFC 9562), as the events stage gives event ids. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A valid AnalyticsEvent for tests; every field can be overridden. */
export function makeEvent(overrides: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  const type: EventType = overrides.type ?? 'intrusion';
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    incidentId: randomUUID(),
    type,
    state: 'start',
    sequence: 1,
    cameraId: 'entrance',
    cameraName: 'Main entrance',
    rule: { name: 'track-side', type },
    frameTime: now,
    emittedAt: now,
    message: `${EVENT_TYPE_INFO[type].title}: 1 person`,
    objects: [{ trackId: 17, label: 'person', score: 0.91, box: { x1: 0.31, y1: 0.22, x2: 0.48, y2: 0.71 } }],
    counts: { inside: 1 },
    frCode: EVENT_TYPE_INFO[type].frCode,
    provenance: { model: { id: 'yolox-nano', sha256: 'a'.repeat(64) }, thresholds: { score: 0.35, minDwellSeconds: 1 }, ruleConfigSha256: 'b'.repeat(64), software: 'vigie 0.1.0' },
    ...overrides,
  };
}

/** Events for `cameras` cameras, `perCamera` each, interleaved, with increasing per-camera sequence numbers. */
export function eventStream(cameras: number, perCamera: number, startSequence = 1): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  for (let s = 0; s < perCamera; s++) {
    for (let c = 0; c < cameras; c++) out.push(makeEvent({ cameraId: `cam-${c + 1}`, cameraName: `Camera ${c + 1}`, sequence: startSequence + s }));
  }
  return out;
}
