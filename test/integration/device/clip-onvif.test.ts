import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { configSchema } from '../../../src/config/index.js';
import { NS, xmlNamespace } from '../../../src/soap/index.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { agsh, connectAgsh, type AgshCam } from '../../support/onvif-npm-client.js';
import { SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { until } from '../../support/pipeline-standins.js';
import { soapCall } from '../../support/soap-client.js';
import { tempDir } from '../../support/temp.js';

const tt = xmlNamespace('tt', NS.tt);
const tan = xmlNamespace('tan', NS.tan);
const ADMIN = { user: 'vms', password: 'vms-secret-1' };

/** What the npm `onvif` client hands its `event` listeners, kept with the time it arrived. */
interface Received {
  at: number;
  json: string;
  topic: string;
}

/** The UtcTime of an ONVIF notification message (the analysed frame's capture time), epoch ms. */
function utcTime(json: string): number {
  const m = /"UtcTime":"([^"]+)"/.exec(json);
  assert.ok(m, `a UtcTime in ${json.slice(0, 300)}`);
  return Date.parse(m[1]!);
}

describe('Vigie as an ONVIF device on the sample clip (simulated camera → pipeline → rules → event service)', () => {
  it('the npm onvif client gets the intrusion of the walkway zone within 2 s of its frame, and a line drawn through the Analytics service raises crossings', async (t) => {
    const dir = await tempDir(t);
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'clip-pass' });
    t.after(() => sim.stop());
    const url = new URL(sim.cameras[0]!.rtsp.main);
    url.username = 'admin';
    url.password = 'clip-pass';
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0, users: [{ username: ADMIN.user, password: ADMIN.password, role: 'administrator' }] },
      device: { enabled: true, announce: false },
      store: { path: join(dir, 'state.db') },
      models: { assetDir: SHARED_ASSETS },
      inference: { workers: 1 },
      ingest: { sampleFps: 5 },
      cameras: [
        {
          id: 'walkway',
          name: 'Walkway',
          rtsp: url.toString(),
          rules: [{ type: 'intrusion', name: 'walkway', zone: [[0, 0.33], [0.5, 0.35], [0.9, 0.33], [1, 0.45], [1, 0.86], [0.4, 0.62], [0, 0.42]], minDwellSeconds: 0.5 }],
        },
      ],
    });
    const logs = captureLogs('info');
    const vigie = await startVigie({ config, logger: logs.logger, configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    const base = `http://127.0.0.1:${vigie.http.port}/onvif`;

    // An application's view: device information, the camera as a profile, its stream URI on Vigie's RTSP server.
    const cam: AgshCam = await connectAgsh({ url: `${base}/device_service`, username: ADMIN.user, password: ADMIN.password });
    const info = await agsh<Record<string, string>>((cb) => cam.getDeviceInformation(cb));
    assert.equal(info.manufacturer, 'Vigie');
    assert.ok(cam.profiles.some((p) => p.$.token === 'profile_walkway'), `the analysed camera is a profile: ${cam.profiles.map((p) => p.$.token).join(', ')}`);
    const stream = await agsh<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_walkway' }, cb));
    assert.match(stream.uri, /^rtsp:\/\/127\.0\.0\.1:\d+\/cameras\/walkway$/);

    // The npm client's own event loop: CreatePullPointSubscription, then PullMessages again and again.
    const received: Received[] = [];
    const emitter = cam as unknown as { on(event: 'event', l: (m: { topic?: { _?: string } }) => void): void; removeAllListeners(event: string): void };
    emitter.on('event', (m) => received.push({ at: Date.now(), json: JSON.stringify(m), topic: m.topic?._ ?? '' }));
    t.after(() => emitter.removeAllListeners('event'));

    const intrusion = () => received.find((r) => /FieldDetector\/ObjectsInside$/.test(r.topic) && r.json.includes('Changed') && /"Name":"IsInside","Value":true/.test(r.json));
    await until(() => intrusion() !== undefined, 'an intrusion event on the walkway zone', 180_000);
    const first = intrusion()!;
    const delay = first.at - utcTime(first.json);
    t.diagnostic(`intrusion received ${delay} ms after the capture of its frame`);
    assert.match(first.json, /"Value":"walkway"/, 'the event names its rule');
    assert.ok(delay <= 2000, `the intrusion reaches the ONVIF client within 2 s of its frame (${delay} ms)`);

    // A line drawn by the VMS across the walkway (docs/hand-count.md's line): Vigie starts evaluating it at once.
    const created = await soapCall(
      `${base}/analytics_service`,
      tan('CreateRules', [
        tan('ConfigurationToken', 'vac_walkway'),
        tan('Rule', { Name: 'gate', Type: 'tt:LineDetector' }, [
          { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
          tt('Parameters', [tt('SimpleItem', { Name: 'Direction', Value: 'Any' }), tt('ElementItem', { Name: 'Segments' }, tt('Polyline', [tt('Point', { x: -0.2, y: 0.4 }), tt('Point', { x: -0.2, y: -0.32 })]))]),
        ]),
      ]),
      { auth: 'digest', ...ADMIN },
    );
    assert.equal(created.status, 200, created.text);
    assert.ok(vigie.analytics.rules('walkway').some((r) => r.name === 'gate' && r.type === 'line_crossing'), 'the line is one of the camera rules');
    const drawnAt = Date.now();
    await until(
      () => received.some((r) => r.at > drawnAt && /LineDetector\/Crossed$/.test(r.topic) && r.json.includes('"Value":"gate"')),
      'a crossing of the line drawn through the Analytics service',
      120_000,
    );
    const audit = vigie.store.audit.list({ limit: 1000 }).filter((a) => a.actor === `onvif:${ADMIN.user}`);
    assert.ok(audit.length > 0, 'the rule change is in the audit log with the ONVIF user');
  });
});
