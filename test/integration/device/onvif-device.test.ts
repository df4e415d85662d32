import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deviceSchema, ruleSchema } from '../../../src/config/index.js';
import { createOnvifDevice, type OnvifDevice } from '../../../src/device/index.js';
import { createMetricsRegistry } from '../../../src/metrics/index.js';
import { NS, parseXml, xmlNamespace, type XmlContent, type XmlElement } from '../../../src/soap/index.js';
import { startHttpServer, type HttpServerHandle } from '../../../src/server/index.js';
import { FakeDeviceBackend } from '../../support/device-backend.js';
import { captureLogs } from '../../support/log-capture.js';
import { agsh, connectAgsh, type AgshCam } from '../../support/onvif-npm-client.js';
import { validateDocuments } from '../../support/schemas.js';
import { digestGet, httpRequest, soapCall, type HttpResult } from '../../support/soap-client.js';
import { tempDir } from '../../support/temp.js';

const tds = xmlNamespace('tds', NS.tds);
const trt = xmlNamespace('trt', NS.trt);
const tr2 = xmlNamespace('tr2', NS.tr2);
const tt = xmlNamespace('tt', NS.tt);
const tan = xmlNamespace('tan', NS.tan);
const tev = xmlNamespace('tev', NS.tev);
const wsnt = xmlNamespace('wsnt', 'http://docs.oasis-open.org/wsn/b-2');
const wsa = xmlNamespace('wsa', NS.wsa);

const ADMIN = { user: 'admin', password: 'admin-secret-1' };
const VIEWER = { user: 'viewer', password: 'viewer-secret-1' };
const CONCRETE_SET = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';

interface Harness {
  backend: FakeDeviceBackend;
  device: OnvifDevice;
  http: HttpServerHandle;
  base: string;
  url(service: string): string;
  logs: ReturnType<typeof captureLogs>;
}

async function startHarness(): Promise<Harness> {
  const backend = new FakeDeviceBackend();
  backend.ruleSets.set('entrance', [ruleSchema.parse({ type: 'intrusion', name: 'track-side', zone: [[0.1, 0.6], [0.5, 0.6], [0.5, 0.95], [0.1, 0.95]] })]);
  const logs = captureLogs('info');
  const device = createOnvifDevice({
    config: deviceSchema.parse({ enabled: true, announce: false }),
    users: [
      { username: ADMIN.user, password: ADMIN.password, role: 'administrator' },
      { username: VIEWER.user, password: VIEWER.password, role: 'operator' },
    ],
    backend,
    logger: logs.logger,
    version: '0.1.0',
  });
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, logger: logs.logger, metrics: createMetricsRegistry(), health: () => ({}) }, (app) => app.use(device.router));
  await device.start({ httpPort: http.port });
  const base = `http://127.0.0.1:${http.port}`;
  return { backend, device, http, base, url: (service) => `${base}/onvif/${service}`, logs };
}

function body(res: HttpResult): XmlElement {
  return parseXml(res.text).child(NS.soap, 'Body')!;
}

function subscriptionAddress(res: HttpResult): string {
  const op = body(res).children[0]!;
  return op.find([op.uri, 'SubscriptionReference'], [NS.wsa, 'Address'])!.text.trim();
}

const pull = (timeout = 'PT5S', limit = 10) => tev('PullMessages', [tev('Timeout', timeout), tev('MessageLimit', limit)]);

describe('Vigie as an ONVIF device', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.device.stop();
    await h.http.close();
  });

  it('the npm onvif client connects, reads device information, profiles and stream URIs, and receives an intrusion from a pull point within 2 s', async () => {
    const cam: AgshCam = await connectAgsh({ url: h.url('device_service'), username: ADMIN.user, password: ADMIN.password });
    const info = await agsh<Record<string, string>>((cb) => cam.getDeviceInformation(cb));
    assert.equal(info.manufacturer, 'Vigie');
    assert.equal(info.model, 'Vigie analytics bridge');
    assert.equal(info.firmwareVersion, '0.1.0');
    assert.deepEqual(
      cam.profiles.map((p) => p.$.token),
      ['profile_entrance', 'profile_platform'],
      'one media profile per analysed camera',
    );
    const stream = await agsh<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_platform' }, cb));
    assert.equal(stream.uri, 'rtsp://127.0.0.1:8555/cameras/platform');

    // The same client with HTTP Digest instead of WS-UsernameToken (the mandatory way in Profile M).
    const digestCam = await connectAgsh({ url: h.url('device_service'), username: VIEWER.user, password: VIEWER.password, useWSSecurity: false });
    assert.equal((await agsh<Record<string, string>>((cb) => digestCam.getDeviceInformation(cb))).manufacturer, 'Vigie');

    const received: Array<{ at: number; json: string; topic: string }> = [];
    const emitter = cam as unknown as NodeJS.EventEmitter;
    emitter.on('eventsError', () => undefined);
    emitter.on('event', (m: { topic?: { _?: string } }) => received.push({ at: Date.now(), json: JSON.stringify(m), topic: m.topic?._ ?? '' }));
    try {
      // The new pull point first gets the current state of every property (Initialized, false here).
      await waitFor(() => received.some((r) => r.json.includes('Initialized')), 10_000, 'the Initialized state of the intrusion rule');
      const emittedAt = Date.now();
      h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'start', trackIds: [12] });
      await waitFor(() => received.some((r) => r.at >= emittedAt && r.json.includes('Changed')), 2000, 'the intrusion event within 2 s');
      const event = received.find((r) => r.at >= emittedAt)!;
      assert.match(event.topic, /RuleEngine\/FieldDetector\/ObjectsInside$/);
      assert.match(event.json, /"Name":"IsInside","Value":true/);
      assert.match(event.json, /"Name":"VideoSourceConfigurationToken","Value":"vsc_entrance"/);
      assert.match(event.json, /"Name":"Rule","Value":"track-side"/);
    } finally {
      emitter.removeAllListeners('event');
      h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'end' });
    }
  });

  it('answers every operation with a SOAP message valid against the official ONVIF schemas (faults, pulls and Notify included)', async (t) => {
    const notifications: string[] = [];
    const consumer = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        notifications.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202).end();
      });
    });
    t.after(() => new Promise<void>((r) => consumer.close(() => r())));
    const consumerUrl = `http://127.0.0.1:${(consumer.address() as AddressInfo).port}/notify`;

    const d = h.url('device_service');
    const m = h.url('media_service');
    const m2 = h.url('media2_service');
    const an = h.url('analytics_service');
    const ev = h.url('event_service');
    const line = tan('Rule', { Name: 'gate', Type: 'tt:LineDetector' }, [
      { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
      tt('Parameters', [tt('SimpleItem', { Name: 'Direction', Value: 'Any' }), tt('ElementItem', { Name: 'Segments' }, tt('Polyline', [tt('Point', { x: -0.5, y: 0 }), tt('Point', { x: 0.5, y: 0 })]))]),
    ]);
    const calls: Array<[string, string, XmlContent]> = [
      ['tds-GetSystemDateAndTime', d, tds('GetSystemDateAndTime')],
      ['tds-GetServices', d, tds('GetServices', tds('IncludeCapability', true))],
      ['tds-GetServicesNoCaps', d, tds('GetServices', tds('IncludeCapability', false))],
      ['tds-GetServiceCapabilities', d, tds('GetServiceCapabilities')],
      ['tds-GetCapabilities', d, tds('GetCapabilities', tds('Category', 'All'))],
      ['tds-GetDeviceInformation', d, tds('GetDeviceInformation')],
      ['tds-GetScopes', d, tds('GetScopes')],
      ['tds-GetNetworkInterfaces', d, tds('GetNetworkInterfaces')],
      ['tds-GetHostname', d, tds('GetHostname')],
      ['tds-GetUsers', d, tds('GetUsers')],
      ['tds-GetDiscoveryMode', d, tds('GetDiscoveryMode')],
      ['trt-GetServiceCapabilities', m, trt('GetServiceCapabilities')],
      ['trt-GetProfiles', m, trt('GetProfiles')],
      ['trt-GetProfile', m, trt('GetProfile', trt('ProfileToken', 'profile_entrance'))],
      ['trt-GetStreamUri', m, trt('GetStreamUri', [trt('StreamSetup', [tt('Stream', 'RTP-Unicast'), tt('Transport', tt('Protocol', 'RTSP'))]), trt('ProfileToken', 'profile_entrance')])],
      ['trt-GetStreamUri-HTTP', m, trt('GetStreamUri', [trt('StreamSetup', [tt('Stream', 'RTP-Unicast'), tt('Transport', tt('Protocol', 'HTTP'))]), trt('ProfileToken', 'profile_entrance')])],
      ['trt-GetSnapshotUri', m, trt('GetSnapshotUri', trt('ProfileToken', 'profile_entrance'))],
      ['trt-GetMetadataConfigurations', m, trt('GetMetadataConfigurations')],
      ['trt-GetVideoSources', m, trt('GetVideoSources')],
      ['trt-GetVideoAnalyticsConfigurations', m, trt('GetVideoAnalyticsConfigurations')],
      ['tr2-GetServiceCapabilities', m2, tr2('GetServiceCapabilities')],
      ['tr2-GetProfiles-All', m2, tr2('GetProfiles', tr2('Type', 'All'))],
      ['tr2-GetProfiles-bare', m2, tr2('GetProfiles')],
      ['tr2-GetStreamUri', m2, tr2('GetStreamUri', [tr2('Protocol', 'RtspUnicast'), tr2('ProfileToken', 'profile_entrance')])],
      ['tr2-GetStreamUri-RtspOverHttp', m2, tr2('GetStreamUri', [tr2('Protocol', 'RtspOverHttp'), tr2('ProfileToken', 'profile_entrance')])],
      ['tr2-SetSynchronizationPoint', m2, tr2('SetSynchronizationPoint', tr2('ProfileToken', 'profile_entrance'))],
      ['tr2-GetVideoSourceConfigurations', m2, tr2('GetVideoSourceConfigurations')],
      ['tr2-GetMetadataConfigurations', m2, tr2('GetMetadataConfigurations', tr2('ProfileToken', 'profile_entrance'))],
      ['tr2-GetMetadataConfigurationOptions', m2, tr2('GetMetadataConfigurationOptions', tr2('ConfigurationToken', 'meta_entrance'))],
      [
        'tr2-SetMetadataConfiguration',
        m2,
        tr2(
          'SetMetadataConfiguration',
          tr2('Configuration', { token: 'meta_platform' }, [
            tt('Name', 'platform metadata'),
            tt('UseCount', 1),
            tt('Events', tt('Filter', wsnt('TopicExpression', { Dialect: CONCRETE_SET }, [{ kind: 'attribute', name: 'xmlns:tns1', value: 'http://www.onvif.org/ver10/topics' }, 'tns1:RuleEngine//.']))),
            tt('Analytics', true),
            tt('Multicast', [tt('Address', [tt('Type', 'IPv4'), tt('IPv4Address', '0.0.0.0')]), tt('Port', 0), tt('TTL', 1), tt('AutoStart', false)]),
            tt('SessionTimeout', 'PT30S'),
          ]),
        ),
      ],
      ['tr2-GetMetadataConfigurations-after-set', m2, tr2('GetMetadataConfigurations', tr2('ConfigurationToken', 'meta_platform'))],
      ['tr2-GetAnalyticsConfigurations', m2, tr2('GetAnalyticsConfigurations')],
      ['tr2-RemoveConfiguration', m2, tr2('RemoveConfiguration', [tr2('ProfileToken', 'profile_platform'), tr2('Configuration', tr2('Type', 'Metadata'))])],
      ['tr2-AddConfiguration', m2, tr2('AddConfiguration', [tr2('ProfileToken', 'profile_platform'), tr2('Configuration', [tr2('Type', 'Metadata'), tr2('Token', 'meta_platform')])])],
      ['tan-GetServiceCapabilities', an, tan('GetServiceCapabilities')],
      ['tan-GetSupportedMetadata', an, tan('GetSupportedMetadata')],
      ['tan-GetSupportedAnalyticsModules', an, tan('GetSupportedAnalyticsModules', tan('ConfigurationToken', 'vac_entrance'))],
      ['tan-GetAnalyticsModules', an, tan('GetAnalyticsModules', tan('ConfigurationToken', 'vac_entrance'))],
      ['tan-DeleteAnalyticsModules', an, tan('DeleteAnalyticsModules', [tan('ConfigurationToken', 'vac_platform'), tan('AnalyticsModuleName', 'ObjectDetector')])],
      [
        'tan-CreateAnalyticsModules',
        an,
        tan('CreateAnalyticsModules', [tan('ConfigurationToken', 'vac_platform'), tan('AnalyticsModule', { Name: 'Detector2', Type: 'tt:ObjectDetection' }, [{ kind: 'attribute', name: 'xmlns:tt', value: NS.tt }, tt('Parameters')])]),
      ],
      ['tan-GetSupportedRules', an, tan('GetSupportedRules', tan('ConfigurationToken', 'vac_entrance'))],
      ['tan-CreateRules', an, tan('CreateRules', [tan('ConfigurationToken', 'vac_platform'), line])],
      [
        'tan-ModifyRules',
        an,
        tan('ModifyRules', [tan('ConfigurationToken', 'vac_platform'), tan('Rule', { Name: 'gate', Type: 'tt:LineDetector' }, [{ kind: 'attribute', name: 'xmlns:tt', value: NS.tt }, tt('Parameters', tt('SimpleItem', { Name: 'Direction', Value: 'Right' }))])]),
      ],
      ['tan-GetRules', an, tan('GetRules', tan('ConfigurationToken', 'vac_platform'))],
      ['tan-DeleteRules', an, tan('DeleteRules', [tan('ConfigurationToken', 'vac_platform'), tan('RuleName', 'gate')])],
      ['tev-GetServiceCapabilities', ev, tev('GetServiceCapabilities')],
      ['tev-GetEventProperties', ev, tev('GetEventProperties')],
    ];
    const documents: Record<string, string> = {};
    // An unfiltered pull point open while everything below happens sees the Media2 and analytics change events too.
    const watcher = subscriptionAddress(await soapCall(ev, tev('CreatePullPointSubscription'), { auth: 'digest', ...VIEWER }));
    for (const [name, url, request] of calls) {
      const res = await soapCall(url, request, { auth: 'digest', ...ADMIN });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
      documents[name] = res.text;
    }

    // Events: a filtered pull point, a Renew, a pull carrying a Changed message, SetSynchronizationPoint, Unsubscribe.
    const created = await soapCall(
      ev,
      tev('CreatePullPointSubscription', [
        tev('Filter', wsnt('TopicExpression', { Dialect: CONCRETE_SET }, [{ kind: 'attribute', name: 'xmlns:x', value: 'http://www.onvif.org/ver10/topics' }, 'x:RuleEngine/FieldDetector//.'])),
        tev('InitialTerminationTime', 'PT60S'),
      ]),
      { auth: 'digest', ...ADMIN },
    );
    assert.equal(created.status, 200, created.text);
    documents['tev-CreatePullPointSubscription'] = created.text;
    const pp = subscriptionAddress(created);
    documents['tev-PullMessages-initialized'] = (await soapCall(pp, pull('PT0S'), { auth: 'digest', ...ADMIN })).text;
    h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'start', trackIds: [3, 4], label: 'car' });
    const pulled = await soapCall(pp, pull('PT5S'), { auth: 'digest', ...ADMIN });
    documents['tev-PullMessages-changed'] = pulled.text;
    assert.match(pulled.text, /PropertyOperation="Changed"/);
    assert.match(pulled.text, /Name="ObjectId" Value="3 4"/);
    assert.match(pulled.text, /Name="ClassTypes" Value="Vehicle"/);
    documents['tev-SetSynchronizationPoint'] = (await soapCall(pp, tev('SetSynchronizationPoint'), { auth: 'digest', ...ADMIN })).text;
    const sync = await soapCall(pp, pull('PT0S'), { auth: 'digest', ...ADMIN });
    assert.match(sync.text, /PropertyOperation="Initialized"[^]*Name="IsInside" Value="true"/, 'the synchronisation point gives the open incident as Initialized, true');
    documents['tev-PullMessages-sync'] = sync.text;
    documents['wsnt-Renew'] = (await soapCall(pp, wsnt('Renew', wsnt('TerminationTime', 'PT120S')), { auth: 'digest', ...ADMIN })).text;
    documents['wsnt-Unsubscribe'] = (await soapCall(pp, wsnt('Unsubscribe'), { auth: 'digest', ...ADMIN })).text;

    // Base notification: Subscribe, then Notify pushed to the consumer.
    const subscribed = await soapCall(ev, wsnt('Subscribe', [wsnt('ConsumerReference', wsa('Address', consumerUrl)), wsnt('InitialTerminationTime', 'PT60S')]), { auth: 'digest', ...ADMIN });
    assert.equal(subscribed.status, 200, subscribed.text);
    documents['wsnt-Subscribe'] = subscribed.text;
    await waitFor(() => notifications.some((n) => n.includes('Initialized')), 5000, 'Notify with the current state');
    h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'end' });
    await waitFor(() => notifications.some((n) => /Name="IsInside" Value="false"/.test(n) && n.includes('Changed')), 5000, 'Notify of the incident end');
    notifications.forEach((n, i) => (documents[`wsnt-Notify-${i}`] = n));
    await soapCall(subscriptionAddress(subscribed), wsnt('Unsubscribe'), { auth: 'digest', ...ADMIN });

    assert.deepEqual(h.device.metadataSettings('platform'), { enabled: true, analytics: true, events: true }, 'the metadata stream settings follow SetMetadataConfiguration');
    assert.match(documents['tr2-GetMetadataConfigurations-after-set']!, /tns1:RuleEngine\/\/\.[^]*<tt:SessionTimeout>PT30S</, 'Get returns what Set stored');
    // RTSP over HTTP: the tunnel form clients use (http:// on the RTSP port), Media2 RtspOverHttp and Media1 HTTP.
    assert.match(documents['tr2-GetStreamUri-RtspOverHttp']!, /<tr2:Uri>http:\/\/127\.0\.0\.1:8555\/cameras\/entrance<\/tr2:Uri>/);
    assert.match(documents['trt-GetStreamUri-HTTP']!, /<tt:Uri>http:\/\/127\.0\.0\.1:8555\/cameras\/entrance<\/tt:Uri>/);
    assert.match(documents['tr2-GetStreamUri']!, /<tr2:Uri>rtsp:\/\/127\.0\.0\.1:8555\/cameras\/entrance<\/tr2:Uri>/);
    const everything = await soapCall(watcher, pull('PT0S', 1000), { auth: 'digest', ...VIEWER });
    assert.match(everything.text, /tns1:Media\/ProfileChanged[^]*Name="Token" Value="profile_platform"/, 'ProfileChanged on Add/RemoveConfiguration');
    assert.match(everything.text, /tns1:Media\/ConfigurationChanged[^]*Name="Token" Value="meta_platform"[^]*Name="Type" Value="Metadata"/, 'ConfigurationChanged on SetMetadataConfiguration');
    assert.match(everything.text, /Name="Token" Value="vac_platform"[^]*Name="Type" Value="Analytics"/, 'ConfigurationChanged when rules change');
    documents['tev-PullMessages-everything'] = everything.text;
    await soapCall(watcher, wsnt('Unsubscribe'), { auth: 'digest', ...VIEWER });

    const faults: Array<[string, string, XmlContent, number]> = [
      ['fault-NotAuthorized', d, tds('GetDeviceInformation'), 401],
      ['fault-NoProfile', m2, tr2('GetStreamUri', [tr2('Protocol', 'RtspUnicast'), tr2('ProfileToken', 'nope')]), 400],
      ['fault-InvalidRule', an, tan('CreateRules', [tan('ConfigurationToken', 'vac_platform'), tan('Rule', { Name: 'bad', Type: 'tt:CellMotionDetector' }, [{ kind: 'attribute', name: 'xmlns:tt', value: NS.tt }, tt('Parameters')])]), 400],
      ['fault-ActionNotSupported', d, tds('SetHostname', tds('Name', 'x')), 500],
    ];
    for (const [name, url, request, status] of faults) {
      const res = await soapCall(url, request, { auth: name === 'fault-NotAuthorized' ? 'none' : 'digest', ...ADMIN });
      assert.equal(res.status, status, `${name}: ${res.text}`);
      documents[name] = res.text;
    }
    const dir = await tempDir(t);
    const result = await validateDocuments('soap', dir, documents);
    assert.ok(result.ok, result.output);
  });

  it('maps rules drawn by an ONVIF client onto Vigie rules, and shows Vigie rules in ONVIF form', async () => {
    const an = h.url('analytics_service');
    const calls = h.backend.setCalls.length;
    const res = await soapCall(
      an,
      tan('CreateRules', [
        tan('ConfigurationToken', 'vac_entrance'),
        tan('Rule', { Name: 'door', Type: 'tt:LineDetector' }, [
          { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
          tt('Parameters', [tt('SimpleItem', { Name: 'Direction', Value: 'Left' }), tt('ElementItem', { Name: 'Segments' }, tt('Polyline', [tt('Point', { x: -0.2, y: 0.4 }), tt('Point', { x: 0.6, y: -0.2 })]))]),
        ]),
        tan('Rule', { Name: 'yard', Type: 'tt:FieldDetector' }, [
          { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
          tt('Parameters', tt('ElementItem', { Name: 'Field' }, tt('Polygon', [tt('Point', { x: -1, y: 1 }), tt('Point', { x: 0, y: 1 }), tt('Point', { x: 0, y: 0 }), tt('Point', { x: -1, y: 0 })]))),
        ]),
      ]),
      { auth: 'digest', ...ADMIN },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(h.backend.setCalls.length, calls + 1, 'both rules reach Vigie in one atomic set');
    const set = h.backend.setCalls.at(-1)!;
    assert.equal(set.cameraId, 'entrance');
    assert.equal(set.by, 'onvif:admin', 'who changed the rules reaches Vigie for its audit log');
    const door = set.rules.find((r) => r.name === 'door');
    assert.equal(door?.type, 'line_crossing');
    assert.deepEqual(door?.type === 'line_crossing' ? { line: door.line, direction: door.direction } : undefined, { line: [[0.4, 0.3], [0.8, 0.6]], direction: 'b_to_a' });
    const yard = set.rules.find((r) => r.name === 'yard');
    assert.deepEqual(yard?.type === 'intrusion' ? yard.zone : undefined, [[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5]], 'FieldDetector → intrusion polygon, top-left quarter');
    assert.ok(set.rules.some((r) => r.name === 'track-side'), 'the configured rule stays');

    const rules = await soapCall(an, tan('GetRules', tan('ConfigurationToken', 'vac_entrance')), { auth: 'digest', ...VIEWER });
    const list = body(rules).child(NS.tan, 'GetRulesResponse')!.childrenNamed(NS.tan, 'Rule');
    const trackSide = list.find((r) => r.attribute('Name') === 'track-side')!;
    assert.deepEqual(trackSide.resolveQName(trackSide.attribute('Type')!), { uri: NS.tt, local: 'FieldDetector' });
    const pts = trackSide.find([NS.tt, 'Parameters'], [NS.tt, 'ElementItem'], [NS.tt, 'Polygon'])!.childrenNamed(NS.tt, 'Point').map((p) => [Number(p.attribute('x')), Number(p.attribute('y'))]);
    assert.deepEqual(pts, [[-0.8, -0.2], [0, -0.2], [0, -0.9], [-0.8, -0.9]], 'Vigie 0..1 y down → ONVIF -1..1 y up');

    const viewerWrite = await soapCall(an, tan('DeleteRules', [tan('ConfigurationToken', 'vac_entrance'), tan('RuleName', 'door')]), { auth: 'digest', ...VIEWER });
    assert.equal(viewerWrite.status, 400, 'an operator cannot change rules');
    assert.match(viewerWrite.text, /NotAuthorized/);
    h.backend.refuseRules = 'rule type "loitering" is not allowed in fr-vsa mode';
    const refused = await soapCall(
      an,
      tan('CreateRules', [
        tan('ConfigurationToken', 'vac_entrance'),
        tan('Rule', { Name: 'bench', Type: 'tt:LoiteringDetector' }, [
          { kind: 'attribute', name: 'xmlns:tt', value: NS.tt },
          tt('Parameters', [tt('SimpleItem', { Name: 'TimeThreshold', Value: 'PT30S' }), tt('ElementItem', { Name: 'Field' }, tt('Polygon', [tt('Point', { x: -1, y: -1 }), tt('Point', { x: 0, y: -1 }), tt('Point', { x: 0, y: 0 })]))]),
        ]),
      ]),
      { auth: 'digest', ...ADMIN },
    );
    h.backend.refuseRules = undefined;
    assert.equal(refused.status, 400);
    assert.match(refused.text, /InvalidRule[^]*fr-vsa/);
  });

  it('refuses wrong credentials with a Digest challenge, serves GetSystemDateAndTime without, and survives hostile XML', async () => {
    const d = h.url('device_service');
    const wrong = await soapCall(d, tds('GetDeviceInformation'), { auth: 'digest', user: ADMIN.user, password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    const challenges = wrong.rawHeaders.filter((_v, i, a) => i % 2 === 1 && a[i - 1]!.toLowerCase() === 'www-authenticate');
    assert.ok(challenges.length > 0 && challenges.every((c) => c.startsWith('Digest ')), `Digest challenges only, never Basic: ${challenges.join(' | ')}`);
    assert.doesNotMatch(wrong.text, /Vigie analytics bridge/, 'nothing is served');
    const wsseWrong = await soapCall(d, tds('GetScopes'), { auth: 'wsse', user: VIEWER.user, password: 'nope-nope-nope' });
    assert.equal(wsseWrong.status, 401);
    const wsseRight = await soapCall(d, tds('GetScopes'), { auth: 'wsse', ...VIEWER });
    assert.equal(wsseRight.status, 200);
    assert.match(wsseRight.text, /onvif:\/\/www\.onvif\.org\/Profile\/M/);
    assert.match(wsseRight.text, /onvif:\/\/www\.onvif\.org\/Profile\/Streaming/);
    const open = await soapCall(d, tds('GetSystemDateAndTime'));
    assert.equal(open.status, 200);
    assert.match(open.text, /UTCDateTime/);

    const headers = { 'Content-Type': 'application/soap+xml; charset=utf-8' };
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetScopes xmlns:tds="http://www.onvif.org/ver10/device/wsdl">&lol2;</tds:GetScopes></s:Body></s:Envelope>';
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x>&xxe;</x></s:Body></s:Envelope>';
    for (const [name, payload] of [
      ['billion laughs', laughs],
      ['XXE', xxe],
      ['malformed', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><unclosed>'],
    ] as const) {
      const res = await httpRequest(d, { method: 'POST', headers, body: payload });
      assert.equal(res.status, 400, `${name}: ${res.text}`);
      assert.match(res.text, /WellFormed/, name);
      assert.doesNotMatch(res.text, /root:/, `${name}: no file content leaks`);
    }
    const huge = await httpRequest(d, { method: 'POST', headers, body: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${'<a/>'.repeat(200_000)}</s:Body></s:Envelope>` });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /Fault/);
    const snapshotUri = /<tt:Uri>([^<]+)<\/tt:Uri>/.exec((await soapCall(h.url('media_service'), trt('GetSnapshotUri', trt('ProfileToken', 'profile_entrance')), { auth: 'digest', ...VIEWER })).text)![1]!;
    assert.equal((await httpRequest(snapshotUri)).status, 401, 'snapshots need Digest too');
    const jpeg = await digestGet(snapshotUri, VIEWER.user, VIEWER.password);
    assert.equal(jpeg.status, 200);
    assert.equal(jpeg.headers['content-type'], 'image/jpeg');
    assert.equal((await digestGet(snapshotUri.replace('entrance', 'platform'), VIEWER.user, VIEWER.password)).status, 503, 'no picture yet: 503, not an empty image');
    const still = await soapCall(d, tds('GetSystemDateAndTime'));
    assert.equal(still.status, 200, 'the device still answers');
  });

  it('keeps two pull points apart, each with its own filter, and long-polls until an event arrives', async () => {
    const ev = h.url('event_service');
    const all = await soapCall(ev, tev('CreatePullPointSubscription'), { auth: 'digest', ...VIEWER });
    const lines = await soapCall(
      ev,
      tev('CreatePullPointSubscription', tev('Filter', wsnt('TopicExpression', { Dialect: CONCRETE_SET }, [{ kind: 'attribute', name: 'xmlns:tns1', value: 'http://www.onvif.org/ver10/topics' }, 'tns1:RuleEngine/LineDetector//.']))),
      { auth: 'digest', ...VIEWER },
    );
    assert.equal(all.status, 200, all.text);
    assert.equal(lines.status, 200, lines.text);
    assert.equal(h.device.subscriptionCount().pull >= 2, true, 'two pull points open at once');
    const a = subscriptionAddress(all);
    const b = subscriptionAddress(lines);
    await soapCall(a, pull('PT0S', 100), { auth: 'digest', ...VIEWER }); // drain the Initialized state
    const waiting = soapCall(b, pull('PT10S'), { auth: 'digest', ...VIEWER });
    await new Promise((r) => setTimeout(r, 200));
    h.backend.emit({ cameraId: 'platform', rule: 'gate', type: 'line_crossing', state: 'start', trackIds: [5] });
    const [fromB, fromA] = await Promise.all([waiting, soapCall(a, pull('PT5S'), { auth: 'digest', ...VIEWER })]);
    assert.match(fromB.text, /tns1:RuleEngine\/LineDetector\/Crossed/);
    assert.match(fromA.text, /tns1:RuleEngine\/LineDetector\/Crossed/);
    assert.doesNotMatch(fromB.text, /PropertyOperation/, 'a crossing is an event, not a property');
    h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'start' });
    const onlyLines = await soapCall(b, pull('PT1S'), { auth: 'digest', ...VIEWER });
    assert.doesNotMatch(onlyLines.text, /ObjectsInside/, 'the LineDetector filter keeps intrusions out');
    h.backend.emit({ cameraId: 'entrance', rule: 'track-side', type: 'intrusion', state: 'end' });
    for (const address of [a, b]) assert.equal((await soapCall(address, wsnt('Unsubscribe'), { auth: 'digest', ...VIEWER })).status, 200);
    const gone = await soapCall(a, pull('PT0S'), { auth: 'digest', ...VIEWER });
    assert.equal(gone.status, 400, 'an ended subscription is gone');
  });
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
