import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DeliveryError } from '../../../src/errors/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { REPO_ROOT } from '../../support/paths.js';
import { makeEvent, eventStream } from '../../support/events.js';
import { runVigie } from '../../support/cli.js';
import { assertOrderedOnce, startTestDelivery, waitFor } from '../../support/delivery.js';
import { GenetecWebSdk } from '../../support/standins/genetec-web-sdk.js';
import { MilestoneEventServer } from '../../support/standins/milestone-event-server.js';
import { tempDir } from '../../support/temp.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

const SECRET = 'a-webhook-secret-of-some-length';

describe('delivery host: durable outbox, order, retries, dead letters, isolation', () => {
  it('delivers every event once, in order per camera, across a short outage (500 then refused connections)', async (t) => {
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    t.after(() => receiver.close());
    const { service } = await startTestDelivery(t, { outputs: [{ type: 'webhook', name: 'hook', url: receiver.url, secret: SECRET }], delivery: { maxAttempts: 1000 } });
    const events = eventStream(4, 15);
    await receiver.setMode('fail');
    for (const e of events.slice(0, 20)) await service.events.publish(e);
    await new Promise((r) => setTimeout(r, 700));
    await receiver.setMode('down');
    for (const e of events.slice(20, 40)) await service.events.publish(e);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(receiver.accepted.length, 0);
    assert.equal(service.health()[0]!.state, 'down');
    await receiver.setMode('ok');
    for (const e of events.slice(40)) await service.events.publish(e);
    await waitFor(() => receiver.accepted.length >= events.length, 'every event');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(new Set(receiver.ids()), new Set(events.map((e) => e.id)));
    assert.equal(receiver.accepted.length, events.length, 'none twice');
    assertOrderedOnce(receiver.accepted);
    await waitFor(() => service.health()[0]!.pending === 0, 'an empty outbox', 5);
    assert.equal(service.health()[0]!.state, 'ok');
  });

  it('publishing the same event twice queues it once; eventTypes and cameras filters pick the outputs', async (t) => {
    const all = await new WebhookReceiver().start();
    const hallIntrusions = await new WebhookReceiver().start();
    t.after(() => Promise.all([all.close(), hallIntrusions.close()]));
    const { service } = await startTestDelivery(t, {
      outputs: [
        { type: 'webhook', name: 'all', url: all.url },
        { type: 'webhook', name: 'hall-intrusions', url: hallIntrusions.url, eventTypes: ['intrusion'], cameras: ['hall'] },
        { type: 'webhook', name: 'off', url: all.url, enabled: false },
      ],
    });
    const e1 = makeEvent({ cameraId: 'hall', type: 'intrusion' });
    const e2 = makeEvent({ cameraId: 'hall', type: 'crowd_density' });
    const e3 = makeEvent({ cameraId: 'gate', type: 'intrusion' });
    assert.deepEqual((await service.events.publish(e1)).outputs, ['all', 'hall-intrusions']);
    assert.deepEqual(await service.events.publish(e1), { eventId: e1.id, outputs: ['all', 'hall-intrusions'], duplicate: true });
    assert.deepEqual((await service.events.publish(e2)).outputs, ['all']);
    assert.deepEqual((await service.events.publish(e3)).outputs, ['all']);
    await waitFor(() => all.accepted.length === 3 && hallIntrusions.accepted.length === 1, 'deliveries');
    assert.deepEqual(hallIntrusions.ids(), [e1.id]);
    assert.equal(service.health().find((h) => h.name === 'off')!.state, 'disabled');
  });

  it('dead-letters after maxAttempts, lists and replays with the CLI, and audits who replayed', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    await receiver.setMode('fail');
    const { service, store, dbPath, logs } = await startTestDelivery(t, {
      outputs: [{ type: 'webhook', name: 'control-room', url: receiver.url }],
      delivery: { maxAttempts: 3, circuitBreaker: { failureThreshold: 100, openSeconds: 0.1 } },
    });
    const [first, second] = [makeEvent({ cameraId: 'hall', sequence: 1 }), makeEvent({ cameraId: 'hall', sequence: 2 })];
    await service.events.publish(first);
    await service.events.publish(second);
    await waitFor(() => store.delivery.listDeadLetters().length === 2, 'two dead letters');
    assert.equal(receiver.requests, 6, 'three attempts each');
    assert.match(logs.text(), /moved to the dead-letter list of output control-room \(3 failed attempts\)/);
    const env = { VIGIE_DB: dbPath };
    const list = await runVigie(['events', 'dead-letter', 'list'], { env });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`control-room\\t${first.id}\\thall\\tintrusion\\tstart\\t3\\t.*SINK_UNAVAILABLE: webhook http://127\\.0\\.0\\.1:\\d+ answered HTTP 500`));
    const json = (await runVigie(['events', 'dead-letter', 'list', '--json'], { env })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; eventId: string });
    assert.deepEqual(json.map((j) => j.eventId), [first.id, second.id]);

    await receiver.setMode('ok');
    const replay = await runVigie(['events', 'dead-letter', 'replay', String(json[0]!.id), '--by', 'operator-7'], { env });
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /replayed 1 dead letter\(s\): 1 for control-room/);
    await waitFor(() => receiver.accepted.length === 1, 'the replayed event');
    assert.deepEqual(receiver.ids(), [first.id]);
    const all = await runVigie(['events', 'dead-letter', 'replay', '--output', 'control-room'], { env });
    assert.equal(all.code, 0, all.stderr);
    await waitFor(() => receiver.accepted.length === 2, 'the second replayed event');
    assert.match((await runVigie(['events', 'dead-letter', 'list'], { env })).stdout, /no dead letters/);

    const audit = store.audit.list({ limit: 100 });
    const actions = audit.map((a) => `${a.action}:${a.actor}:${a.object}`);
    assert.ok(actions.includes(`delivery.dead_lettered:system:${first.id}`));
    assert.ok(actions.includes(`delivery.replayed:operator-7:${first.id}`));
    assert.ok(actions.includes(`delivery.delivered:system:${first.id}`));
    assert.equal(audit.find((a) => a.action === 'delivery.dead_lettered')!.details.attempts, 3);
    assert.equal(store.audit.verify(), audit.length, 'the audit chain holds');
    const usage = await runVigie(['events', 'dead-letter', 'replay'], { env });
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /say which dead letters: ids, --output NAME, or --all/);
  });

  it('a VMS refusing one event (400) dead-letters it at once; the camera then goes on', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    // a receiver that accepts only CloudEvents: a custom content-type header sent by the output makes it refuse
    const { service, store } = await startTestDelivery(t, { outputs: [{ type: 'webhook', name: 'picky', url: receiver.url }] });
    const bad = makeEvent({ cameraId: 'hall', sequence: 1 });
    const good = makeEvent({ cameraId: 'hall', sequence: 2 });
    receiver.rejectIds.add(bad.id);
    await service.events.publish(bad);
    await service.events.publish(good);
    await waitFor(() => receiver.accepted.length === 1, 'the next event of the camera');
    assert.deepEqual(receiver.ids(), [good.id]);
    const [letter] = store.delivery.listDeadLetters();
    assert.equal(letter!.eventId, bad.id);
    assert.equal(letter!.attempts, 1);
    assert.equal(letter!.lastErrorCode, 'SINK_REJECTED');
  });

  it('isolates a misbehaving third-party plugin: a hung delivery times out, an exception is retried, the process lives', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'x-flaky'));
    await writeFile(
      join(dir, 'x-flaky', 'index.ts'),
      `import { definePlugin, z } from '${join(REPO_ROOT, 'src/sdk/index.js')}';
const state = ((globalThis as any).__flaky ??= { mode: 'hang', delivered: [] as string[] });
export default definePlugin({
  manifest: { id: 'x-flaky', outputType: 'x-flaky', title: 'Flaky', version: '1.0.0', sdkVersion: '1.0.0', description: 'misbehaves on purpose', capabilities: [] },
  configSchema: z.strictObject({ url: z.string().describe('anything (required)') }),
  createSink: () => ({
    deliver(event) {
      if (state.mode === 'hang') return new Promise(() => undefined);
      if (state.mode === 'throw') throw new TypeError('cannot read properties of undefined');
      state.delivered.push(event.id);
      return Promise.resolve({ detail: 'ok' });
    },
  }),
});
`,
    );
    const flaky = ((globalThis as Record<string, unknown>).__flaky = { mode: 'hang', delivered: [] as string[] });
    const { service, store, logs } = await startTestDelivery(t, {
      outputs: [{ type: 'x-flaky', name: 'flaky', url: 'anything', timeoutSeconds: 0.3 }],
      delivery: { pluginDirs: [dir], maxAttempts: 100 },
    });
    const event = makeEvent();
    await service.events.publish(event);
    await waitFor(() => service.health()[0]!.lastError?.code === 'SINK_TIMEOUT', 'a timeout');
    assert.match(service.health()[0]!.lastError!.message, /delivery took longer than 0\.3 s/);
    flaky.mode = 'throw';
    await waitFor(() => /a bug in the plugin/.test(logs.text()), 'the plugin bug logged');
    assert.equal(store.delivery.getEntry(1)!.status, 'pending');
    flaky.mode = 'ok';
    await waitFor(() => flaky.delivered.length === 1, 'delivery once the plugin behaves', 10);
    assert.deepEqual(flaky.delivered, [event.id]);
  });

  it('the circuit breaker sends probes, not every event, to a VMS that is down', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    await receiver.setMode('fail');
    const { service } = await startTestDelivery(t, {
      outputs: [{ type: 'webhook', name: 'hook', url: receiver.url }],
      delivery: { maxAttempts: 1000, retry: { initialSeconds: 0.05, maxSeconds: 0.05, multiplier: 1, jitter: 0 }, circuitBreaker: { failureThreshold: 3, openSeconds: 1 } },
    });
    for (const e of eventStream(8, 2)) await service.events.publish(e);
    await new Promise((r) => setTimeout(r, 2500));
    // without the breaker: 8 cameras retrying every 50 ms would make hundreds of requests in 2.5 s; with it, the
    // deliveries started before it opened (at most threshold + concurrency) and about one probe per second
    assert.ok(receiver.requests <= 3 + 4 + 4, `${receiver.requests} requests while down`);
    assert.equal(service.health()[0]!.circuit === 'closed', false);
  });
});

describe('delivery host: configuration errors at the VMS, reported in health and logs', () => {
  it('Milestone "Warning: Event message not known": configuration error in the log and health; events kept, delivered once defined', async (t) => {
    const server = await new MilestoneEventServer([]).start();
    t.after(() => server.close());
    const { service, store, logs } = await startTestDelivery(t, { outputs: [{ type: 'milestone', name: 'xprotect', url: server.url, eventName: 'Vigie intrusion' }] });
    const events = [makeEvent({ sequence: 1 }), makeEvent({ sequence: 2 })];
    for (const e of events) await service.events.publish(e);
    await waitFor(() => service.health()[0]!.state === 'misconfigured', 'the misconfigured state');
    const health = service.health()[0]!;
    assert.equal(health.lastError!.code, 'SINK_MISCONFIGURED');
    assert.match(health.lastError!.message, /does not know the Analytics Event "Vigie intrusion"/);
    assert.match(health.lastError!.hint!, /Rules and Events > Analytics Events > Add New, name it exactly "Vigie intrusion"/);
    assert.equal(health.pending, 2, 'both events kept');
    const line = logs.lines().find((l) => l.level === 'error' && /configuration error/.test(String(l.msg)));
    assert.ok(line, logs.text());
    assert.match(String(line.msg), /output xprotect: configuration error: .*"Vigie intrusion".*\(fix: in the Management Client/);
    await new Promise((r) => setTimeout(r, 800));
    const entry = store.delivery.getEntry(1)!;
    assert.equal(entry.status, 'pending');
    assert.equal(entry.attempts, 0, 'held deliveries consume no attempts');
    assert.ok(server.documents.length >= 2, 'retried while held');
    assert.equal(store.delivery.listDeadLetters().length, 0);
    assert.ok(store.audit.list({ action: 'output.state_changed' }).some((a) => a.details.to === 'misconfigured'));

    server.defined.add('Vigie intrusion'); // the installer adds the Analytics Event in the Management Client
    await waitFor(() => server.raised().length === 2, 'both events raised once defined');
    assert.deepEqual(server.raised().map((d) => /<ID>([^<]+)<\/ID>/.exec(d.xml)![1]), events.map((e) => e.id));
    await waitFor(() => service.health()[0]!.state === 'ok', 'recovery');
  });

  it('wrong credentials at the VMS (Genetec): health says unauthorized with the settings to fix; events kept', async (t) => {
    const camera = '8a2b3c4d-1111-4222-8333-944455556666';
    const sdk = await new GenetecWebSdk({ username: 'vigie', applicationId: 'app', password: 'right' }, new Set([5000]), new Set([camera])).start();
    t.after(() => sdk.close());
    const { service, store } = await startTestDelivery(t, {
      outputs: [{ type: 'genetec', name: 'gsc', url: sdk.url, username: 'vigie', applicationId: 'app', password: 'wrong', customEventId: 5000, cameraGuids: { entrance: camera } }],
    });
    await service.events.publish(makeEvent());
    await waitFor(() => service.health()[0]!.state === 'unauthorized', 'the unauthorized state');
    assert.match(service.health()[0]!.lastError!.hint!, /outputs\[0\]\.username, password and applicationId/);
    assert.equal(store.delivery.getEntry(1)!.attempts, 0);
    assert.equal(sdk.raised.length, 0);
  });

  it('bad configuration stops start-up with every problem by path', async (t) => {
    await assert.rejects(
      startTestDelivery(t, { outputs: [{ type: 'x-missing', url: 'http://x' }, { type: 'milestone', url: 'xprotect:9090' }, { type: 'genetec', url: 'http://g/WebSdk', username: 'u' }] }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        const paths = e.problems.map((p) => p.path);
        assert.deepEqual(paths, ['outputs[0].type', 'outputs[1].url', 'outputs[2].applicationId']);
        assert.match(e.problems[0]!.message, /no plugin serves output type "x-missing"/);
        return true;
      },
    );
  });

  it('a second Vigie on the same database is refused, naming the one that delivers; a dead holder is taken over', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    const first = await startTestDelivery(t, { outputs: [{ type: 'webhook', url: receiver.url }] });
    const holder = { pid: process.pid, host: hostname() };
    await assert.rejects(
      startTestDelivery(t, { outputs: [{ type: 'webhook', url: receiver.url }], dbPath: first.dbPath }),
      (e: unknown) => e instanceof DeliveryError && e.message.includes(`another Vigie already delivers events from ${first.dbPath} (process ${holder.pid} on ${holder.host}`) && /own state database/.test(e.hint ?? ''),
    );
    await first.stop();
    // a holder that was killed: its pid no longer exists on this host
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const store = SqliteStore.open(first.dbPath);
    store.delivery.claimDispatch({ pid: dead, host: hostname(), token: 'killed' }, Date.now(), () => true);
    store.close();
    const second = await startTestDelivery(t, { outputs: [{ type: 'webhook', url: receiver.url }], dbPath: first.dbPath });
    await second.service.events.publish(makeEvent());
    await waitFor(() => receiver.accepted.length === 1, 'delivery by the new holder');
  });

  it('fr-vsa mode refuses to deliver an event type outside the eight, and audits it', async (t) => {
    const receiver = await new WebhookReceiver().start();
    t.after(() => receiver.close());
    const { service, store } = await startTestDelivery(t, { outputs: [{ type: 'webhook', url: receiver.url }], mode: 'fr-vsa' });
    const loitering = makeEvent({ type: 'loitering' });
    await assert.rejects(service.events.publish(loitering), (e: unknown) => e instanceof DeliveryError && /not one of the eight events/.test(e.message));
    assert.equal(store.audit.list({ action: 'event.suppressed_out_of_scope' })[0]!.object, loitering.id);
    await assert.rejects(service.events.publish({ ...makeEvent(), cameraId: '' }), /malformed.*cameraId/);
  });
});
