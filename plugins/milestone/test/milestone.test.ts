import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SinkAuthError, SinkConfigError, type AnalyticsEvent } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { MilestoneEventServer } from '../../../test/support/standins/milestone-event-server.js';
import plugin from '../index.js';

const CAMERA_GUID = '068680AB-5350-4AC7-A47E-652300B16252';

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn() {
    const server = await new MilestoneEventServer(['Vigie: Intrusion in a forbidden zone']).start();
    return { config: { url: server.url }, accepted: () => server.raised().length, contacts: () => server.connections, close: () => server.close() };
  },
  unreachable: (config, port) => ({ ...config, url: `http://127.0.0.1:${port}/` }),
});

describe('Milestone Analytics Event wire format (validated with the official XSD)', () => {
  async function send(server: MilestoneEventServer, config: Record<string, unknown>, events: AnalyticsEvent[], snapshots?: Map<string, Buffer>) {
    const { context, close } = pluginTestContext({ type: 'milestone', snapshots: snapshots && { loadSnapshot: (id) => Promise.resolve(snapshots.get(id)) } });
    try {
      const sink = plugin.createSink(plugin.configSchema.parse({ url: server.url, ...config }), context);
      const receipts = [];
      for (const event of events) receipts.push(await sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline() }));
      return receipts;
    } finally {
      close();
    }
  }

  it('sends every kind of event as a document valid against AnalyticsEvent.xsd, with boxes, source and snapshot', async (t) => {
    const server = await new MilestoneEventServer(['Vigie: Abandoned object', 'Vigie crowd', 'Vigie: Intrusion in a forbidden zone']).start();
    t.after(() => server.close());
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    const events = [
      makeEvent({ type: 'abandoned_object', cameraId: 'hall', message: 'Bag <left> alone & "unattended"', evidence: { snapshotId: 's1', contentType: 'image/jpeg' } }),
      makeEvent({ type: 'crowd_density', cameraId: 'platform', counts: { inside: 31 }, objects: [] }),
      makeEvent({ type: 'intrusion', cameraId: 'hall', state: 'start', objects: [{ trackId: 3, label: 'person', score: 0.87, box: { x1: -0.01, y1: 0.2, x2: 0.5, y2: 1.02 } }] }),
    ];
    await send(
      server,
      { states: ['start', 'update', 'end'], snapshot: true, sources: { hall: CAMERA_GUID, platform: '10.0.0.12,2' }, eventNames: { crowd_density: 'Vigie crowd' }, priority: 2 },
      events,
      new Map([['s1', jpeg]]),
    );
    assert.equal(server.documents.length, 3);
    for (const d of server.documents) assert.ok(d.valid, `XSD validation failed: ${d.errors}\n${d.xml}`);
    assert.equal(server.raised().length, 3);
    assert.ok(server.documents.every((d) => d.contentType === 'text/xml'));
    const [bag, crowd, intrusion] = server.documents.map((d) => d.xml);
    assert.match(bag!, /<AnalyticsEvent xmlns="urn:milestone-systems">/);
    assert.match(bag!, new RegExp(`<ID>${events[0]!.id}</ID>`), 'the event id is the EventHeader ID (idempotency)');
    assert.match(bag!, new RegExp(`<Source><FQID><ObjectId>${CAMERA_GUID}</ObjectId></FQID></Source>`));
    assert.match(bag!, /Bag &lt;left&gt; alone &amp; &quot;unattended&quot;/);
    assert.match(bag!, new RegExp(`<Image>${jpeg.toString('base64')}</Image>`));
    assert.match(crowd!, /<Message>Vigie crowd<\/Message>/);
    assert.match(crowd!, /<Source><Name>10\.0\.0\.12,2<\/Name><\/Source>/);
    assert.match(crowd!, /<Count>31<\/Count>/);
    assert.match(crowd!, /<Priority>2<\/Priority>/);
    // boxes clamped to 0..1, Top/Left/Bottom/Right from y1/x1/y2/x2
    assert.match(intrusion!, /<BoundingBox><Top>0\.2<\/Top><Left>0<\/Left><Bottom>1<\/Bottom><Right>0\.5<\/Right><\/BoundingBox>/);
    assert.match(intrusion!, /<Confidence>0\.87<\/Confidence><AlarmTrigger>true<\/AlarmTrigger>/);
    assert.match(intrusion!, /<StartTime>/);
  });

  it('the stand-in really validates: a document with elements out of XSD order is refused', async (t) => {
    const server = await new MilestoneEventServer(['x']).start();
    t.after(() => server.close());
    const misordered = '<AnalyticsEvent xmlns="urn:milestone-systems"><EventHeader><ID>5b0b7a8e-2f7c-4f9e-9a43-3d2f6f0c1a11</ID><Timestamp>2026-11-28T10:15:30.250Z</Timestamp><Message>x</Message></EventHeader><ObjectList><Object><Confidence>0.9</Confidence><Name>person</Name></Object></ObjectList></AnalyticsEvent>';
    const response = await fetch(server.url, { method: 'POST', body: misordered, headers: { 'content-type': 'text/xml' } });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Name.*not expected/);
  });

  it('sends only the start of an incident by default', async (t) => {
    const server = await new MilestoneEventServer(['Vigie: Intrusion in a forbidden zone']).start();
    t.after(() => server.close());
    const receipts = await send(server, {}, [makeEvent({ state: 'update' }), makeEvent({ state: 'end' }), makeEvent({ state: 'start' })]);
    assert.equal(server.documents.length, 1);
    assert.match(String(receipts[0]?.skipped), /update messages are not sent/);
  });

  it('a 200 "Warning: Event message not known" is a configuration error naming the event and the fix', async (t) => {
    const server = await new MilestoneEventServer([]).start();
    t.after(() => server.close());
    await assert.rejects(send(server, { eventName: 'Vigie {type}' }, [makeEvent()]), (e: unknown) => {
      assert.ok(e instanceof SinkConfigError);
      assert.equal(e.disposition, 'hold');
      assert.match(e.message, /does not know the Analytics Event "Vigie intrusion"/);
      assert.match(e.hint ?? '', /Management Client, Rules and Events > Analytics Events > Add New, name it exactly "Vigie intrusion"/);
      return true;
    });
    assert.ok(server.documents[0]!.valid);
  });

  it('an address refused by the Event Server (403) names the setting to change', async (t) => {
    const server = await new MilestoneEventServer(['Vigie: Intrusion in a forbidden zone']).start();
    t.after(() => server.close());
    server.allowed = false;
    await assert.rejects(send(server, {}, [makeEvent()]), (e: unknown) => e instanceof SinkAuthError && /Tools > Options > Analytics Events/.test(e.hint ?? ''));
  });
});
