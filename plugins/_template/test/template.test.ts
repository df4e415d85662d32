/**
 * Copy this file with the plugin: it runs the shared conformance suite against a small stand-in of the VMS. Add
 * tests that check your wire format against the vendor's documentation (paths, headers, auth, fields).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { it } from 'node:test';
import { deadline, pluginTestContext } from '../../../test/contract/plugin-context.js';
import { describeConformance } from '../../../test/contract/vms-sink-conformance.js';
import { makeEvent } from '../../../test/support/events.js';
import plugin from '../index.js';

/** The stand-in: accepts a JSON alarm with the right API key, as the (imaginary) vendor documents. */
async function standIn(apiKey: string) {
  const received: Record<string, unknown>[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.headers['x-api-key'] !== apiKey) return void res.writeHead(401).end();
      if (req.headers['content-type'] !== 'application/json' || !req.headers['idempotency-key']) return void res.writeHead(400).end();
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/alarms`;
  return { url, received, requests: () => requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeConformance({
  folder: new URL('..', import.meta.url),
  plugin,
  async startStandIn() {
    const vms = await standIn('k-123456');
    return { config: { url: vms.url, apiKey: 'k-123456' }, accepted: () => vms.received.length, contacts: vms.requests, close: vms.close };
  },
  unreachable: (config, port) => ({ ...config, url: `http://127.0.0.1:${port}/alarms` }),
  secrets: (config) => [String(config.apiKey)],
});

it('template: sends the documented JSON fields', async (t) => {
  const vms = await standIn('k-1');
  t.after(vms.close);
  const { context, close } = pluginTestContext({ type: 'x-template' });
  t.after(close);
  const sink = plugin.createSink(plugin.configSchema.parse({ url: vms.url, apiKey: 'k-1' }), context);
  const event = makeEvent();
  await sink.deliver(event, { attempt: 1, idempotencyKey: event.id, signal: deadline() });
  assert.deepEqual(Object.keys(vms.received[0]!).sort(), ['boxes', 'camera', 'id', 'state', 'time', 'title']);
  assert.equal(vms.received[0]!.title, 'Intrusion in a forbidden zone on Main entrance');
});
