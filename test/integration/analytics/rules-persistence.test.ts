import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startAnalytics } from '../../../src/analytics/index.js';
import { configSchema } from '../../../src/config/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { tempDir } from '../../support/temp.js';

const zone = [[0.2, 0.4], [0.8, 0.4], [0.8, 0.8], [0.2, 0.8]];
const walkway = { type: 'intrusion', name: 'walkway', zone, minDwellSeconds: 0.5 };
const gate = { type: 'line_crossing', name: 'gate', line: [[0.1, 0.5], [0.9, 0.5]] };
const loitering = { type: 'intrusion', name: 'car-park', zone, minDwellSeconds: 5 };

/** One Vigie "run": a hub on the state database at `path` with this configuration, stopped at the end. */
async function run<T>(path: string, input: unknown, work: (hub: ReturnType<typeof startAnalytics>, logs: ReturnType<typeof captureLogs>) => T): Promise<T> {
  const store = SqliteStore.open(path);
  const logs = captureLogs('info');
  const hub = startAnalytics({ config: configSchema.parse(input), logger: logs.logger, store, models: [{ id: 'yolox-nano', classes: ['person', 'car'] }], software: '0.1.0-test' });
  try {
    return work(hub, logs);
  } finally {
    await hub.stop();
    store.close();
  }
}

const names = (rules: { name: string }[]) => rules.map((r) => r.name);
const cameras = (rules: unknown[]) => ({ cameras: [{ id: 'cam1', name: 'Walkway', rtsp: 'rtsp://127.0.0.1/x', rules }] });

describe('rules changed at run time (ONVIF) survive a restart', () => {
  it('restores the changed set, for configured and discovered cameras, until the configuration is edited', async (t) => {
    const path = join(await tempDir(t), 'state.db');
    await run(path, cameras([walkway]), (hub) => {
      assert.deepEqual(names(hub.rules('cam1')), ['walkway']);
      hub.setRules('cam1', [walkway, gate] as never, { by: 'onvif:admin' });
      hub.setRules('discovered-7', [loitering] as never, { by: 'onvif:admin' });
    });
    // Restart, same configuration: the ONVIF changes are back, and the log says where they come from.
    await run(path, cameras([walkway]), (hub, logs) => {
      assert.deepEqual(names(hub.rules('cam1')), ['walkway', 'gate']);
      assert.deepEqual(names(hub.rules('discovered-7')), ['car-park']);
      const line = logs.lines().find((l) => l.camera === 'cam1' && /last changed through ONVIF/.test(String(l.msg)));
      assert.ok(line, logs.text());
      assert.equal(line.changedBy, 'onvif:admin');
    });
    // The configuration's rules for cam1 edited since: the file wins (and the stored set is forgotten).
    const edited = { ...walkway, minDwellSeconds: 2 };
    await run(path, cameras([edited]), (hub, logs) => {
      assert.deepEqual(hub.rules('cam1').map((r) => [r.name, (r as { minDwellSeconds?: number }).minDwellSeconds]), [['walkway', 2]]);
      assert.match(logs.text(), /were edited after they were last changed through ONVIF/);
      assert.deepEqual(names(hub.rules('discovered-7')), ['car-park'], 'the other camera keeps its set');
    });
    await run(path, cameras([edited]), (hub) => assert.deepEqual(names(hub.rules('cam1')), ['walkway']));
  });

  it('a stored set refused now (the mode became fr-vsa without that event type) gives way to the configuration, without stopping Vigie', async (t) => {
    const path = join(await tempDir(t), 'state.db');
    await run(path, cameras([walkway]), (hub) => hub.setRules('cam1', [walkway, gate] as never, { by: 'onvif:admin' }));
    const frVsa = { ...cameras([walkway]), rules: { mode: 'fr-vsa', enabledEventTypes: ['intrusion'] } };
    await run(path, frVsa, (hub, logs) => {
      assert.deepEqual(names(hub.rules('cam1')), ['walkway']);
      assert.match(logs.text(), /are refused now: the configuration's apply instead/);
    });
  });
});
