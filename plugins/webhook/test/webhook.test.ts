import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SinkAuthError, type AnalyticsEvent } from '../../../src/sdk/index.js';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import { WebhookReceiver } from '../../../test/support/webhook-receiver.js';
import plugin from '../index.js';

const SECRET = 'whsec_' + Buffer.from('a secret of thirty-two bytes....').toString('base64');

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn() {
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    return { config: { url: receiver.url, secret: SECRET }, accepted: () => receiver.accepted.length, contacts: () => receiver.requests, close: () => receiver.close() };
  },
  unreachable: (config, port) => ({ ...config, url: `http://127.0.0.1:${port}/hooks/vigie` }),
  secrets: (config) => [String(config.secret)],
});

describe('webhook wire format (CloudEvents 1.0 structured mode, Standard Webhooks signature)', () => {
  async function deliverOne(event: AnalyticsEvent, config: Record<string, unknown>, receiver: WebhookReceiver, snapshots?: Map<string, Buffer>) {
    const { context, close } = pluginTestContext({ type: 'webhook', snapshots: snapshots && { loadSnapshot: (id) => Promise.resolve(snapshots.get(id)) } });
    try {
      const sink = plugin.createSink(plugin.configSchema.parse({ url: receiver.url, ...config }), context);
      await sink.start?.();
      return await sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline() });
    } finally {
      close();
    }
  }

  it('posts a signed CloudEvent the receiver verifies, with the event id as webhook-id and Idempotency-Key', async (t) => {
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    t.after(() => receiver.close());
    const event = makeEvent({ cameraId: 'platform-2', sequence: 42, type: 'crowd_density', counts: { inside: 31 } });
    await deliverOne(event, { secret: SECRET, source: 'urn:vigie:gare-nord' }, receiver);
    assert.equal(receiver.accepted.length, 1, receiver.rejected.join());
    const [got] = receiver.accepted;
    assert.equal(got!.headers['content-type'], 'application/cloudevents+json; charset=utf-8');
    assert.equal(got!.headers['webhook-id'], event.id);
    assert.equal(got!.headers['idempotency-key'], event.id);
    assert.match(String(got!.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    const ce = got!.body;
    // CloudEvents 1.0 required attributes and the ones Vigie fills
    assert.equal(ce.specversion, '1.0');
    assert.equal(ce.id, event.id);
    assert.equal(ce.source, 'urn:vigie:gare-nord');
    assert.equal(ce.type, 'dev.vigie.analytics.crowd_density');
    assert.equal(ce.subject, 'platform-2');
    assert.equal(ce.time, event.frameTime);
    assert.equal(ce.datacontenttype, 'application/json');
    assert.equal(ce.sequence, '42');
    for (const name of Object.keys(ce)) assert.match(name, /^[a-z0-9]{1,20}$/, `CloudEvents attribute names are lower-case alphanumeric: ${name}`);
    assert.deepEqual((ce.data as AnalyticsEvent).counts, { inside: 31 });
    assert.deepEqual((ce.data as AnalyticsEvent).objects[0]!.box, event.objects[0]!.box);
  });

  it('embeds the event JSON the host hands over (eventJson) as data, byte for byte valid', async (t) => {
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    t.after(() => receiver.close());
    const event = makeEvent({ message: 'quote " and \\ backslash' });
    const { context, close } = pluginTestContext({ type: 'webhook' });
    t.after(close);
    const sink = plugin.createSink(plugin.configSchema.parse({ url: receiver.url, secret: SECRET }), context);
    await sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline(), eventJson: JSON.stringify(event) });
    assert.equal(receiver.accepted.length, 1, receiver.rejected.join());
    assert.deepEqual(receiver.accepted[0]!.body.data, JSON.parse(JSON.stringify(event)));
    assert.equal(receiver.accepted[0]!.body.specversion, '1.0');
  });

  it('a receiver with another secret refuses it: the sink reports an authentication problem, not success', async (t) => {
    const receiver = await new WebhookReceiver({ secret: 'a completely different secret' }).start();
    t.after(() => receiver.close());
    await assert.rejects(deliverOne(makeEvent(), { secret: SECRET }, receiver), (e: unknown) => {
      assert.ok(e instanceof SinkAuthError);
      assert.match(e.message, /HTTP 401: signature does not match/);
      assert.match(e.hint ?? '', /outputs\[0\]/);
      return true;
    });
  });

  it('embeds the evidence snapshot when asked to', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const event = makeEvent({ evidence: { snapshotId: 'snap-1', contentType: 'image/jpeg' } });
    await deliverOne(event, { snapshot: true }, receiver, new Map([['snap-1', jpeg]]));
    const data = receiver.accepted[0]!.body.data as { snapshot: { base64: string; contentType: string } };
    assert.equal(data.snapshot.contentType, 'image/jpeg');
    assert.deepEqual(Buffer.from(data.snapshot.base64, 'base64'), jpeg);
  });

  it('refuses a short secret and a non-http url at configuration time', () => {
    const bad = plugin.configSchema.safeParse({ url: 'ftp://x', secret: 'short' });
    assert.equal(bad.success, false);
    const paths = bad.error.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('url') && paths.includes('secret'), paths.join());
  });
});
