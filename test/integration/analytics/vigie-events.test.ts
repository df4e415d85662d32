import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { configSchema } from '../../../src/config/index.js';
import { letterbox, type Frame } from '../../../src/frames/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import type { AnalyticsEvent } from '../../../src/sdk/index.js';
import { tempDir } from '../../support/temp.js';
import { person } from '../../support/track-stream.js';

describe('vigie run --events', () => {
  it('events from the analytics hub go to delivery (recorded in the state database) and, as JSON lines, to the events file; evidence is stored', async (t) => {
    const dir = await tempDir(t);
    const eventsFile = join(dir, 'events.jsonl');
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0 },
      store: { path: join(dir, 'state.db') },
      cameras: [{ id: 'cam1', rtsp: 'rtsp://127.0.0.1:9/none', enabled: false, rules: [{ type: 'intrusion', name: 'walkway', zone: [[0.2, 0.4], [0.8, 0.4], [0.8, 0.8], [0.2, 0.8]], minDwellSeconds: 0.5 }] }],
    });
    const vigie = await startVigie({ config, logger: silentLogger(), configFile: undefined, eventsFile, env: {} });
    let stopped = false;
    t.after(() => (stopped ? undefined : vigie.stop()));
    assert.ok(vigie.describe().some((l) => l.includes('events also to') && l.includes(eventsFile)));
    const g = letterbox({ width: 640, height: 480 }, { width: 416, height: 416 });
    const t0 = Date.now();
    for (let k = 0; k <= 100; k++) {
      const tt = k / 5;
      const frame: Frame = { cameraId: 'cam1', sequence: k, captureTime: t0 + k * 200, geometry: g, data: Buffer.alloc(416 * 416 * 3, 80) };
      await vigie.analytics.process({ cameraId: 'cam1', sequence: k, captureTime: frame.captureTime, width: 640, height: 480, model: { id: 'yolox-nano', sha256: 'x' }, detections: [person(0.05 + 0.05 * tt, 0.6)] }, frame);
    }
    await vigie.stop();
    stopped = true;
    const lines = (await readFile(eventsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AnalyticsEvent);
    assert.deepEqual(lines.map((e) => e.state), ['start', 'end']);
    assert.equal(lines[0]!.type, 'intrusion');
    assert.ok(lines[0]!.evidence?.snapshotId);
    const { SqliteStore } = await import('../../../src/store/index.js');
    const store = SqliteStore.open(join(dir, 'state.db'));
    t.after(() => store.close());
    const rows = store.database.prepare('SELECT id FROM events ORDER BY sequence').all() as { id: string }[];
    assert.deepEqual(rows.map((r) => r.id), lines.map((e) => e.id), 'the same events were published to delivery');
    assert.ok(store.snapshots.get(lines[0]!.evidence.snapshotId), 'the snapshot is in the state database');
  });
});
