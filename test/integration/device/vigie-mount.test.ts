import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { configSchema } from '../../../src/config/index.js';
import { NS, xmlNamespace } from '../../../src/soap/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { soapCall } from '../../support/soap-client.js';
import { tempDir } from '../../support/temp.js';
import { freeUdpPort } from '../../support/udp.js';

const tds = xmlNamespace('tds', NS.tds);
const tr2 = xmlNamespace('tr2', NS.tr2);
const tan = xmlNamespace('tan', NS.tan);
const tt = xmlNamespace('tt', NS.tt);

describe('vigie run with device.enabled', () => {
  it('serves the ONVIF device on the HTTP port beside /health, with the configured cameras, users and rules; rule changes are audited', async (t) => {
    const dir = await tempDir(t);
    const logs = captureLogs('info');
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0, users: [{ username: 'installer', password: 'installer-pw-1', role: 'administrator' }] },
      store: { path: join(dir, 'state.db') },
      device: { enabled: true, announce: false, identity: { name: 'Vigie test site' } },
      cameras: [{ id: 'gate', name: 'Gate', rtsp: 'rtsp://127.0.0.1:1/stream', rules: [{ type: 'intrusion', name: 'lawn', zone: [[0, 0.5], [1, 0.5], [1, 1]] }] }],
    });
    const vigie = await startVigie({ config, logger: logs.logger, configFile: undefined });
    t.after(() => vigie.stop());
    const base = `http://127.0.0.1:${vigie.http.port}`;
    const auth = { auth: 'digest' as const, user: 'installer', password: 'installer-pw-1' };
    assert.ok(vigie.describe()[0]!.includes('/onvif/device_service'), vigie.describe()[0]);

    const health = (await fetch(`${base}/health`).then((r) => r.json())) as { onvif?: { pull: number } };
    assert.deepEqual(health.onvif, { pull: 0, push: 0 });
    const info = await soapCall(`${base}/onvif/device_service`, tds('GetDeviceInformation'), auth);
    assert.equal(info.status, 200, info.text);
    const profiles = await soapCall(`${base}/onvif/media2_service`, tr2('GetProfiles', tr2('Type', 'All')), auth);
    assert.match(profiles.text, /token="profile_gate"/, 'the configured camera is a video source');
    assert.match(profiles.text, /Name="lawn" Type="tt:FieldDetector"/, 'with its configured rule');

    const created = await soapCall(
      `${base}/onvif/analytics_service`,
      tan('CreateRules', [
        tan('ConfigurationToken', 'vac_gate'),
        tan('Rule', { Name: 'fence', Type: 'tt:LineDetector' }, [
          { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
          tt('Parameters', tt('ElementItem', { Name: 'Segments' }, tt('Polyline', [tt('Point', { x: -1, y: 0 }), tt('Point', { x: 1, y: 0 })]))),
        ]),
      ]),
      auth,
    );
    assert.equal(created.status, 200, created.text);
    const rules = await soapCall(`${base}/onvif/analytics_service`, tan('GetRules', tan('ConfigurationToken', 'vac_gate')), auth);
    assert.match(rules.text, /Name="fence"/);
    const audited = vigie.store.audit.list({ action: 'rules.changed' });
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.object, 'gate');
    assert.equal(audited[0]!.actor, 'onvif:installer', 'the audit log names the ONVIF user');
  });

  it('does not onboard itself when discovery.auto and the device announce on the same network', async (t) => {
    const dir = await tempDir(t);
    const port = await freeUdpPort();
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0, users: [{ username: 'site', password: 'site-password-1', role: 'administrator' }] },
      store: { path: join(dir, 'state.db') },
      device: { enabled: true, interfaces: ['127.0.0.1'], discoveryPort: port },
      discovery: { auto: true, interfaces: ['127.0.0.1'], port, probeTimeoutSeconds: 1, probeIntervalSeconds: 0, credentials: [{ username: 'site', password: 'site-password-1' }] },
    });
    const logs = captureLogs('debug');
    const vigie = await startVigie({ config, logger: logs.logger, configFile: undefined });
    t.after(() => vigie.stop());
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(
      vigie.cameras.list().map((c) => c.id),
      [],
      'Vigie heard its own Hello and probe answer and left itself out',
    );
    assert.match(logs.text(), /WS-Discovery responder listening/, 'the device did announce itself');
  });
});
