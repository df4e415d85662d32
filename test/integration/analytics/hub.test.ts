import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { startAnalytics, type AnalyticsFrame, type AnalyticsHub } from '../../../src/analytics/index.js';
import { configSchema } from '../../../src/config/index.js';
import { RuleRefusedError } from '../../../src/errors/index.js';
import { EvidenceStore } from '../../../src/events/index.js';
import { letterbox, type Frame } from '../../../src/frames/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import type { AnalyticsEvent, EventSink, FrameDetections } from '../../../src/sdk/index.js';
import { canonicalJson, SqliteStore } from '../../../src/store/index.js';
import { person } from '../../support/track-stream.js';

const MODEL = { id: 'yolox-nano', sha256: 'ab'.repeat(32) };
const zone = [[0.2, 0.4], [0.8, 0.4], [0.8, 0.8], [0.2, 0.8]];

function collectingSink(): EventSink & { events: AnalyticsEvent[] } {
  const events: AnalyticsEvent[] = [];
  return { events, publish: (e) => (events.push(e), Promise.resolve({ eventId: e.id, outputs: [], duplicate: false })) };
}

/** A 640x480 picture letterboxed into 416x416 (pad at the bottom), grey picture and pad of 114. */
function frameAt(sequence: number, captureTime: number): Frame {
  const g = letterbox({ width: 640, height: 480 }, { width: 416, height: 416 });
  const data = Buffer.alloc(416 * 416 * 3, 114);
  for (let y = 0; y < g.scaledHeight; y++) data.fill(60, y * 416 * 3, y * 416 * 3 + g.scaledWidth * 3);
  return { cameraId: 'cam1', sequence, captureTime, geometry: g, data };
}

function build(input: unknown, store?: SqliteStore) {
  const config = configSchema.parse(input);
  const sink = collectingSink();
  const hub = startAnalytics({ config, logger: silentLogger(), sink, store, models: [{ id: MODEL.id, classes: ['person', 'car'] }], software: '0.1.0-test' });
  return { hub, sink, config };
}

async function walkThrough(hub: AnalyticsHub, seconds: number, withFrames: boolean): Promise<AnalyticsFrame[]> {
  const t0 = Date.now();
  const frames: AnalyticsFrame[] = [];
  for (let k = 0; k <= seconds * 5; k++) {
    const t = k / 5;
    const d: FrameDetections = { cameraId: 'cam1', sequence: k, captureTime: t0 + k * 200, width: 640, height: 480, model: MODEL, detections: [person(0.05 + 0.05 * t, 0.6)] };
    frames.push(await hub.process(d, withFrames ? frameAt(k, d.captureTime) : undefined));
  }
  return frames;
}

const camera = (rules: unknown[]) => ({ id: 'cam1', name: 'Walkway', rtsp: 'rtsp://127.0.0.1/x', rules });

describe('analytics hub', () => {
  it('tracks, raises an intrusion start and end with provenance and a JPEG of the frame (pad cropped, boxes drawn), loadable by plugins', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    const rule = { type: 'intrusion', name: 'walkway', zone, minDwellSeconds: 0.5 };
    const { hub, sink } = build({ cameras: [camera([rule])] }, store);
    const seenEvents: AnalyticsEvent[] = [];
    hub.onEvent((e) => seenEvents.push(e));
    let activeDuring = 0;
    hub.onFrame((f) => {
      if (f.events.some((e) => e.state === 'start')) activeDuring = hub.activeIncidents('cam1').length;
    });
    const frames = await walkThrough(hub, 20, true);
    await hub.stop();

    assert.ok(frames.some((f) => f.tracks.length === 1 && f.tracks[0]!.confirmed));
    assert.deepEqual(sink.events.map((e) => e.state), ['start', 'end']);
    assert.deepEqual(seenEvents.map((e) => e.id), sink.events.map((e) => e.id));
    assert.equal(activeDuring, 1);
    assert.equal(hub.activeIncidents().length, 0);
    const [start, end] = sink.events as [AnalyticsEvent, AnalyticsEvent];
    assert.equal(start.incidentId, end.incidentId);
    assert.ok(end.sequence > start.sequence);
    assert.equal(start.type, 'intrusion');
    assert.equal(start.frCode, 'FR_ZONE_INTRUSION');
    assert.equal(start.cameraName, 'Walkway');
    assert.equal(start.objects[0]!.label, 'person');
    assert.ok(start.objects[0]!.box.y2 > 0.55 && start.objects[0]!.box.y2 < 0.65);
    assert.deepEqual(start.provenance.model, MODEL);
    assert.equal(start.provenance.thresholds['rule.minDwellSeconds'], 0.5);
    const parsedRule = configSchema.parse({ cameras: [camera([rule])] }).cameras[0]!.rules[0]!;
    assert.equal(start.provenance.ruleConfigSha256, createHash('sha256').update(canonicalJson(parsedRule)).digest('hex'));
    assert.ok(Date.parse(start.frameTime) > 0);

    assert.ok(start.evidence, 'evidence with the start');
    assert.equal(end.evidence?.snapshotId, start.evidence.snapshotId, 'every message of the incident points at it');
    const jpeg = await hub.snapshots!.loadSnapshot(start.evidence.snapshotId);
    assert.ok(jpeg && jpeg[0] === 0xff && jpeg[1] === 0xd8, 'a JPEG');
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: jpeg });
    assert.equal(probe.stdout.toString().trim(), '416,312', 'the letterbox pad (bottom 104 rows) is cropped');
    // boxes and zone are drawn: decode and look for the zone colour (yellow) and the box colour (red)
    const raw = spawnSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: jpeg, maxBuffer: 1 << 24 }).stdout;
    let yellow = 0;
    let red = 0;
    for (let i = 0; i < raw.length; i += 3) {
      if (raw[i]! > 200 && raw[i + 1]! > 180 && raw[i + 2]! < 80) yellow++;
      if (raw[i]! > 200 && raw[i + 1]! < 110 && raw[i + 2]! < 90) red++;
    }
    assert.ok(yellow > 500, `zone drawn (${yellow} yellow pixels)`);
    assert.ok(red > 50, `box drawn (${red} red pixels)`);
    assert.equal(await hub.snapshots!.loadSnapshot('no-such-snapshot'), undefined);
  });

  it('fr-vsa: every alert and every image is audited; rules not allowed there are refused at run time and leave the rules unchanged', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    const { hub } = build({ rules: { mode: 'fr-vsa', enabledEventTypes: ['intrusion', 'line_crossing'] }, cameras: [camera([{ type: 'intrusion', name: 'walkway', zone, minDwellSeconds: 0.5 }])] }, store);
    await walkThrough(hub, 20, true);
    await hub.stop();
    const actions = store.audit.list({}).map((r) => r.action);
    assert.deepEqual(actions.filter((a) => a.startsWith('alert.')), ['alert.raised', 'alert.ended']);
    assert.ok(actions.includes('image.collected'));
    const raised = store.audit.list({ action: 'alert.raised' })[0]!;
    assert.equal((raised.details as { frCode: string }).frCode, 'FR_ZONE_INTRUSION');
    assert.throws(() => hub.setRules('cam1', [{ type: 'line_crossing', name: 'count', line: [[0.5, 0], [0.5, 1]] } as never]), (e: unknown) => e instanceof RuleRefusedError && /counting rule/.test(e.message));
    assert.throws(() => hub.setRules('cam1', [{ type: 'loitering', name: 'l', zone } as never]), RuleRefusedError);
    assert.throws(() => hub.setRules('cam1', [{ type: 'intrusion', name: 'bad', zone: [[0, 0], [2, 0], [1, 1]] } as never]), (e: unknown) => e instanceof RuleRefusedError && /rule "bad" refused: invalid rule: zone/.test(e.message));
    assert.deepEqual(hub.rules('cam1').map((r) => r.name), ['walkway']);
    store.audit.verify();
  });

  it('refuses to start with a fire rule and no fire model, naming the camera, the rule and the fix', () => {
    assert.throws(() => build({ cameras: [camera([{ type: 'fire', name: 'kitchen', model: 'fire-smoke' }])] }), (e: unknown) => e instanceof RuleRefusedError && /camera "cam1", rule "kitchen"/.test(e.message));
  });

  it('setRules replaces a camera rules at run time; a removed rule ends its open incident', async () => {
    const { hub, sink } = build({ cameras: [camera([{ type: 'intrusion', name: 'walkway', zone, minDwellSeconds: 0.5, debounceSeconds: 0.2 }])] });
    const t0 = Date.now();
    for (let k = 0; k < 30; k++) await hub.process({ cameraId: 'cam1', sequence: k, captureTime: t0 + k * 200, width: 640, height: 480, model: MODEL, detections: [person(0.5, 0.6)] });
    assert.equal(hub.activeIncidents('cam1').length, 1);
    hub.setRules('cam1', []);
    await hub.process({ cameraId: 'cam1', sequence: 31, captureTime: t0 + 31 * 200, width: 640, height: 480, model: MODEL, detections: [person(0.5, 0.6)] });
    assert.deepEqual(sink.events.map((e) => e.state), ['start', 'end']);
    assert.equal(hub.activeIncidents().length, 0);
    await hub.stop();
  });
});

describe('evidence retention', () => {
  it('snapshots older than retentionHours are deleted, no longer served, and the erasure is audited', async (t) => {
    const store = SqliteStore.open(':memory:');
    t.after(() => store.close());
    let now = 1_790_000_000_000;
    const evidence = new EvidenceStore({ store, logger: silentLogger(), retentionHours: 1, audit: true, now: () => now });
    const id = await evidence.capture({ width: 16, height: 16, pixelFormat: 'bgr24', data: Buffer.alloc(16 * 16 * 3, 90) }, { boxes: [{ x1: 0.1, y1: 0.1, x2: 0.5, y2: 0.5 }] }, { cameraId: 'c', incidentId: 'i', ruleName: 'r' });
    assert.ok(id);
    now += 30 * 60_000;
    assert.ok(await evidence.loadSnapshot(id));
    assert.equal(evidence.purgeExpired(), 0);
    now += 31 * 60_000;
    assert.equal(await evidence.loadSnapshot(id), undefined, 'expired: not served even before the purge');
    assert.equal(evidence.purgeExpired(), 1);
    assert.equal(store.snapshots.count(), 0);
    assert.deepEqual(store.audit.list({}).map((r) => r.action), ['image.collected', 'image.erased']);
  });
});
