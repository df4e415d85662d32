import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMetadataDocument, fromOnvifBox, toOnvifBox, topicSelected, type MetadataFrame, type MetadataTopicPattern } from '../../../src/metadata/index.js';
import type { AnalyticsEvent, EventType, TrackedObject } from '../../../src/sdk/index.js';
import { readDocument } from '../../support/onvif-metadata.js';

function track(trackId: number, label: string, box: TrackedObject['box'], score = 0.8): TrackedObject {
  return { trackId, label, classId: 0, score, box, velocity: { x: 0, y: 0 }, firstSeen: 0, lastSeen: 0, confirmed: true };
}

function event(type: EventType, state: AnalyticsEvent['state'], rule = 'zone-a'): AnalyticsEvent {
  return {
    id: `e-${type}-${state}`,
    incidentId: 'i',
    type,
    state,
    sequence: 1,
    cameraId: 'cam',
    cameraName: 'Cam',
    rule: { name: rule, type },
    frameTime: '2026-11-28T10:00:00.120Z',
    emittedAt: '2026-11-28T10:00:00.200Z',
    message: 'm',
    objects: [{ trackId: 4, label: 'person', score: 0.9, box: { x1: 0, y1: 0, x2: 0.5, y2: 0.5 } }],
    counts: {},
    provenance: { model: { id: 'm', sha256: 's' }, thresholds: {}, ruleConfigSha256: 'r', software: 't' },
  };
}

const frame = (tracks: TrackedObject[], events: AnalyticsEvent[] = []): MetadataFrame => ({
  cameraId: 'cam',
  sequence: 1,
  captureTime: Date.parse('2026-11-28T10:00:00.120Z'),
  width: 1920,
  height: 1080,
  tracks,
  events,
});

describe('ONVIF metadata documents', () => {
  it('maps Vigie boxes (0..1, y down) to ONVIF coordinates (-1..1, y up) and back', () => {
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    const b = toOnvifBox({ x1: 0.25, y1: 0.1, x2: 0.75, y2: 0.4 });
    near(b.left, -0.5);
    near(b.top, 0.8);
    near(b.right, 0.5);
    near(b.bottom, 0.2);
    near(b.center.x, 0);
    near(b.center.y, 0.5);
    const back = fromOnvifBox(b);
    for (const [k, v] of Object.entries({ x1: 0.25, y1: 0.1, x2: 0.75, y2: 0.4 })) assert.ok(Math.abs(back[k as 'x1'] - v) < 1e-12);
    const c = toOnvifBox({ x1: 0.9, y1: 1.2, x2: -0.1, y2: 0.5 }); // corners in any order, clamped to the picture
    near(c.left, -1);
    near(c.top, 0);
    near(c.right, 0.8);
    near(c.bottom, -1);
    near(c.center.x, -0.1);
    near(c.center.y, -0.5);
  });

  it('writes one object per track: ObjectId = track id, BoundingBox and CenterOfGravity, the ONVIF class and likelihood', () => {
    const xml = buildMetadataDocument(frame([track(12, 'person', { x1: 0, y1: 0, x2: 0.5, y2: 0.5 }, 0.91), track(3, 'truck', { x1: 0.5, y1: 0.5, x2: 1, y2: 1 }, 0.4), track(5, 'suitcase', { x1: 0.1, y1: 0.1, x2: 0.2, y2: 0.2 })]));
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><tt:MetadataStream xmlns:tt="http:\/\/www.onvif.org\/ver10\/schema">/);
    const doc = readDocument(xml);
    assert.equal(doc.utcTime, '2026-11-28T10:00:00.120Z', 'the capture time of the analysed frame');
    assert.deepEqual(doc.objects[0], { id: 12, left: -1, top: 1, right: 0, bottom: 0, cx: -0.5, cy: 0.5, type: 'Human', likelihood: 0.91 });
    assert.deepEqual(doc.objects[1], { id: 3, left: 0, top: 0, right: 1, bottom: -1, cx: 0.5, cy: -0.5, type: 'Vehicle', likelihood: 0.4 });
    assert.equal(doc.objects[2]!.type, 'suitcase', 'labels without an ONVIF type are sent as they are');
    assert.deepEqual(doc.events, []);
    assert.equal(readDocument(buildMetadataDocument(frame([]))).objects.length, 0, 'empty frames are documents too');
  });

  it('carries rule events as notifications when asked, as the event service tells them: start Changed true, end Changed false, crossings once', () => {
    const events = [event('intrusion', 'start'), event('intrusion', 'update'), event('intrusion', 'end'), event('weapon', 'start', 'a <b> & "c"'), event('line_crossing', 'start'), event('line_crossing', 'end')];
    const doc = readDocument(buildMetadataDocument(frame([], events)));
    assert.deepEqual(
      doc.events.map((e) => [e.topic, e.operation, e.data]),
      [
        ['tns1:RuleEngine/FieldDetector/ObjectsInside', 'Changed', { IsInside: 'true', ObjectId: '4', ClassTypes: 'Human' }],
        ['tns1:RuleEngine/FieldDetector/ObjectsInside', 'Changed', { IsInside: 'false', ObjectId: '4', ClassTypes: 'Human' }],
        ['vigie:RuleEngine/WeaponDetector/Weapon', 'Changed', { State: 'true', ObjectId: '4', ClassTypes: 'Human' }],
        ['tns1:RuleEngine/LineDetector/Crossed', undefined, { ObjectId: '4', ClassTypes: 'Human' }],
      ],
    );
    const xml = buildMetadataDocument(frame([], events));
    assert.match(xml, /xmlns:tns1="http:\/\/www.onvif.org\/ver10\/topics"/);
    assert.match(xml, /xmlns:vigie="http:\/\/vigie.dev\/ns\/2026\/topics"/);
    assert.match(xml, /<tt:SimpleItem Name="Rule" Value="a &lt;b&gt; &amp; &quot;c&quot;"\/>/, 'rule names escaped');
    assert.match(xml, /<tt:Source><tt:SimpleItem Name="VideoSource" Value="cam"\/><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc_cam"\/><tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="vac_cam"\/>/);
    assert.doesNotMatch(buildMetadataDocument(frame([], events), { events: false }), /tt:Event/);
    const eventsOnly = buildMetadataDocument(frame([track(1, 'person', { x1: 0, y1: 0, x2: 1, y2: 1 })], events), { analytics: false, videoSourceConfigurationToken: 'VSC_1' });
    assert.doesNotMatch(eventsOnly, /tt:VideoAnalytics/);
    assert.match(eventsOnly, /Value="VSC_1"/);
  });

  it('keeps only the events under the topics of the metadata configuration filter', () => {
    const events = [event('intrusion', 'start'), event('weapon', 'start'), event('line_crossing', 'start')];
    const topics = (patterns: MetadataTopicPattern[]) => readDocument(buildMetadataDocument(frame([], events), { eventTopics: patterns })).events.map((e) => e.topic);
    const TNS1 = 'http://www.onvif.org/ver10/topics';
    assert.deepEqual(topics([{ uri: TNS1, path: ['RuleEngine'], subtree: true }]), ['tns1:RuleEngine/FieldDetector/ObjectsInside', 'tns1:RuleEngine/LineDetector/Crossed'], 'tns1:RuleEngine//.');
    assert.deepEqual(topics([{ uri: TNS1, path: ['RuleEngine', 'LineDetector', 'Crossed'], subtree: false }]), ['tns1:RuleEngine/LineDetector/Crossed']);
    assert.deepEqual(topics([{ uri: TNS1, path: ['RuleEngine', 'LineDetector'], subtree: false }]), [], 'a concrete topic is not its children');
    assert.deepEqual(topics([{ uri: 'http://vigie.dev/ns/2026/topics', path: ['RuleEngine'], subtree: true }]), ['vigie:RuleEngine/WeaponDetector/Weapon']);
    assert.equal(topics([]).length, 3, 'no filter: every event');
    assert.equal(topicSelected('fire', undefined), true);
  });
});
