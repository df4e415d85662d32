/**
 * Acceptance (issue 7): a sink that answers 500, then refuses connections, for 60 s, then recovers: every event
 * produced meanwhile arrives, none twice (by event id), in order per camera. The same with Vigie killed (SIGKILL)
 * and restarted during the outage. Both scenarios run side by side (about 70 s in all); retry timing is in seconds
 * so the 60 s outage is modelled in real time.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { SqliteStore } from '../../../src/store/index.js';
import { eventStream } from '../../support/events.js';
import { assertOrderedOnce, startTestDelivery, waitFor } from '../../support/delivery.js';
import { REPO_ROOT } from '../../support/paths.js';
import { tempDir } from '../../support/temp.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

const OUTAGE_SECONDS = 60;
const SECRET = 'outage-test-secret-0123456789';
const DELIVERY = {
  maxAttempts: 1000,
  retry: { initialSeconds: 0.2, maxSeconds: 2, multiplier: 2, jitter: 0.2 },
  circuitBreaker: { failureThreshold: 3, openSeconds: 0.5 },
  pollSeconds: 0.5,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => {
  const t0 = Date.now();
  return (seconds: number) => sleep(Math.max(0, t0 + seconds * 1000 - Date.now()));
};

describe('acceptance: a 60 s VMS outage loses nothing, duplicates nothing, keeps per-camera order', { concurrency: true }, () => {
  it('while Vigie keeps running (500 for 30 s, then connections refused for 30 s)', async (t) => {
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    t.after(() => receiver.close());
    const { service, store } = await startTestDelivery(t, { outputs: [{ type: 'webhook', name: 'vms', url: receiver.url, secret: SECRET }], delivery: DELIVERY });
    // publish() resolves once the event is committed, on the writer thread: under load one can still be in progress
    // when the producer stops (it is delivered all the same), so the next event is taken when publishing starts and
    // the count is read once every publish has resolved
    const published: string[] = [];
    const publishing = new Set<Promise<void>>();
    const stream = eventStream(3, 1000);
    let next = 0;
    const publish = () => {
      const event = stream[next++]!;
      const done = service.events.publish(event).then(() => {
        published.push(event.id);
      });
      publishing.add(done);
      const forget = () => void publishing.delete(done);
      done.then(forget, forget);
      return done;
    };
    for (let i = 0; i < 6; i++) await publish();
    await waitFor(() => receiver.accepted.length === 6, 'the events before the outage');

    const at = clock();
    await receiver.setMode('fail');
    const producer = setInterval(() => void publish(), 100);
    await at(OUTAGE_SECONDS / 2);
    await receiver.setMode('down');
    await at(OUTAGE_SECONDS);
    assert.equal(receiver.accepted.length, 6, 'nothing accepted during the outage');
    assert.equal(service.health()[0]!.state, 'down');
    await receiver.setMode('ok');
    await at(OUTAGE_SECONDS + 2);
    clearInterval(producer);
    await Promise.all(publishing);
    const total = published.length;
    assert.ok(total > 6 + OUTAGE_SECONDS * 5, `${total} events published`);
    await waitFor(() => receiver.accepted.length >= total, `all ${total} events after recovery`, 60);
    await sleep(500);
    assertOrderedOnce(receiver.accepted); // names the event that arrived twice, if one did
    assert.deepEqual(new Set(receiver.ids()), new Set(published));
    assert.equal(receiver.accepted.length, total, 'none twice');
    // what the database promised: every recorded event delivered, exactly once
    const rows = store.database.prepare("SELECT event_id AS id, status FROM outbox WHERE output = 'vms'").all() as { id: string; status: string }[];
    assert.equal(rows.length, total);
    assert.ok(rows.every((r) => r.status === 'delivered'), 'every outbox entry delivered');
  });

  it('with Vigie killed (SIGKILL) during the outage and restarted', async (t) => {
    const dir = await tempDir(t);
    const receiver = await new WebhookReceiver({ secret: SECRET }).start();
    t.after(() => receiver.close());
    const dbPath = join(dir, 'vigie.db');
    const configPath = join(dir, 'vigie.yaml');
    await writeFile(
      configPath,
      stringify({ server: { host: '127.0.0.1', port: 0, rtspPort: 0 }, store: { path: dbPath }, delivery: DELIVERY, outputs: [{ type: 'webhook', name: 'vms', url: receiver.url, secret: SECRET }] }),
    );
    const acked = new Map<string, { cameraId: string; sequence: number }>();
    const children: ChildProcess[] = [];
    t.after(() => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));
    const launch = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/vigie-producer.ts'), configPath, '3', '100'], {
        cwd: REPO_ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      const lines = createInterface({ input: child.stdout });
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`vigie exited early (${code})`)));
        lines.on('line', (line) => {
          const message = JSON.parse(line) as { ready?: boolean; published?: string; cameraId: string; sequence: number; error?: string };
          if (message.ready) resolve();
          if (message.published) acked.set(message.published, { cameraId: message.cameraId, sequence: message.sequence });
          if (message.error) reject(new Error(message.error));
        });
      });
      return child;
    };

    const first = await launch();
    await waitFor(() => receiver.accepted.length >= 6, 'deliveries before the outage');
    const at = clock();
    await receiver.setMode('fail');
    await at(15);
    const before = receiver.accepted.length;
    const ackedBeforeKill = acked.size;
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await at(20);
    const second = await launch();
    await at(OUTAGE_SECONDS / 2);
    await receiver.setMode('down');
    await at(OUTAGE_SECONDS);
    assert.equal(receiver.accepted.length, before, 'nothing accepted during the outage');
    await receiver.setMode('ok');
    await at(OUTAGE_SECONDS + 2);
    second.stdin.write('pause\n');
    await sleep(300);
    assert.ok(acked.size > ackedBeforeKill + 100, `${acked.size} events acknowledged, ${ackedBeforeKill} before the kill`);
    await waitFor(() => [...acked.keys()].every((id) => receiver.accepted.some((e) => e.id === id)), `all ${acked.size} acknowledged events`, 60);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    assertOrderedOnce(receiver.accepted);
    for (const e of receiver.accepted) assert.deepEqual({ cameraId: e.cameraId, sequence: e.sequence }, acked.get(e.id) ?? { cameraId: e.cameraId, sequence: e.sequence });
    // What the database promised: every recorded event delivered exactly once, and the audit chain intact.
    const store = SqliteStore.open(dbPath);
    try {
      const rows = store.database.prepare("SELECT event_id AS id, status FROM outbox WHERE output = 'vms'").all() as { id: string; status: string }[];
      assert.ok(rows.every((r) => r.status === 'delivered'), 'every outbox entry delivered');
      assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(receiver.ids()));
      assert.equal(rows.length, receiver.accepted.length);
      assert.ok(store.audit.verify() > 0);
      assert.equal(store.audit.list({ action: 'delivery.delivered', limit: 100_000 }).length, rows.length);
    } finally {
      store.close();
    }
  });
});
