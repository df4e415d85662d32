import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVigieError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { loadVendorProfiles, onboardDevice } from '../../../src/onvif/index.js';
import { NS, parseSoapEnvelope, readRequestBody } from '../../../src/soap/index.js';
import { mutate, pick, prng, type Rng } from '../../support/mutations.js';
import { FIXTURES_DIR } from '../../support/onvif-fixture-server.js';

const SEED = Number(process.env.VIGIE_FUZZ_SEED ?? 4_2026);
const ROUNDS = 1000;
const SERVERS = 8;
const NAMED = new Set(['CAMERA_UNREACHABLE', 'ONVIF_MALFORMED_RESPONSE', 'ONVIF_NOT_AN_ENDPOINT', 'ONVIF_SOAP_FAULT', 'ONVIF_AUTH_FAILED', 'ONVIF_CLOCK_SKEW', 'AUTH_CHALLENGE_UNSUPPORTED']);
const SERVICE_OF: Record<string, string> = { [NS.tds]: 'device', [NS.trt]: 'media', [NS.tr2]: 'media2' };

type HttpMutation = (res: ServerResponse, body: string, rng: Rng) => void;

/** Broken HTTP answers (the SOAP body, when there is one, is the valid answer). */
const HTTP_MUTATIONS: Array<[string, HttpMutation]> = [
  ['status', (res, body, rng) => {
    res.writeHead(pick(rng, [200, 202, 204, 301, 400, 403, 404, 405, 500, 502, 503]), { 'Content-Type': 'application/soap+xml' });
    res.end(body);
  }],
  ['html page', (res, _body, rng) => {
    res.writeHead(pick(rng, [200, 401, 403, 404, 500]), { 'Content-Type': 'text/html' });
    res.end('<html><head><title>Login</title></head><body>hello</body></html>');
  }],
  ['401 challenges', (res, _body, rng) => {
    res.writeHead(401, { 'WWW-Authenticate': pick(rng, ['Basic realm="cam"', 'Digest realm="x"', 'Digest nonce=', 'Digest realm="x", nonce="abc", algorithm=SHA-512', 'Negotiate', '', 'Digest realm="x", nonce="n", qop="auth-int"', 'Digest realm="x", nonce="n", algorithm=MD5-sess']) });
    res.end();
  }],
  ['redirect', (res) => {
    res.writeHead(302, {});
    res.end();
  }],
  ['empty 200', (res) => {
    res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
    res.end();
  }],
  ['chunked in pieces', (res, body) => {
    res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
    for (let i = 0; i < body.length; i += 7) res.write(body.slice(i, i + 7));
    res.end();
  }],
  ['connection cut mid-body', (res, body) => {
    res.writeHead(200, { 'Content-Type': 'application/soap+xml', 'Content-Length': String(body.length) });
    res.write(body.slice(0, body.length >> 1));
    setTimeout(() => res.destroy(), 5);
  }],
  ['longer Content-Length', (res, body) => {
    res.writeHead(200, { 'Content-Type': 'application/soap+xml', 'Content-Length': String(body.length + 100) });
    res.write(body);
    setTimeout(() => res.destroy(), 20);
  }],
  ['huge body', (res) => {
    res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
    res.end(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${'<x>y</x>'.repeat(400_000)}</s:Body></s:Envelope>`);
  }],
  ['no answer', () => undefined],
  ['soap fault', (res, _body, rng) => {
    const code = pick(rng, ['Sender', 'Receiver', 'MustUnderstand', 'VersionMismatch', 'Bogus']);
    const sub = pick(rng, ['', '<s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode>', '<s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode>', '<s:Subcode><s:Value>undeclared:X</s:Value><s:Subcode><s:Value>ter:Deeper</s:Value></s:Subcode></s:Subcode>']);
    res.writeHead(pick(rng, [400, 500, 200]), { 'Content-Type': 'application/soap+xml' });
    res.end(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:${code}</s:Value>${sub}</s:Code><s:Reason><s:Text xml:lang="fr">Erreur</s:Text><s:Text xml:lang="en">Simulated fault</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`);
  }],
  ['plain text', (res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('OK');
  }],
];

interface Round {
  operation: string;
  mutation: string;
}

async function loadAnswers(): Promise<Map<string, string>> {
  const dir = join(FIXTURES_DIR, 'hikvision');
  const answers = new Map<string, string>();
  for (const f of await readdir(dir)) if (f.endsWith('.xml')) answers.set(f.slice(0, -4), await readFile(join(dir, f), 'utf8'));
  return answers;
}

/** A camera answering from recorded Hikvision answers, one operation per round broken on purpose (no authentication). */
async function startMutatingCamera(answers: Map<string, string>, rng: Rng) {
  let round: Round & { target: string } = { operation: '', mutation: '', target: '' };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const read = await readRequestBody(req, 1 << 20);
      if (!read.ok) return res.destroy();
      const op = parseSoapEnvelope(read.body).operation!;
      const token = op.children.find((c) => c.local === 'ProfileToken')?.text.trim();
      const key = `${SERVICE_OF[op.uri] ?? '?'}.${op.local}`;
      const body = (token && answers.get(`${key}.${token}`)) || answers.get(key) || '';
      if (key !== round.target) {
        res.writeHead(body ? 200 : 500, { 'Content-Type': 'application/soap+xml' });
        return res.end(body);
      }
      if (rng() < 0.3) {
        const [name, fn] = pick(rng, HTTP_MUTATIONS);
        round.mutation = `http: ${name}`;
        return fn(res, body, rng);
      }
      const m = mutate(body, rng);
      round.mutation = `xml: ${m.name}`;
      res.writeHead(pick(rng, [200, 200, 200, 400, 500]), { 'Content-Type': 'application/soap+xml; charset=utf-8' });
      res.end(m.data);
    })().catch(() => res.destroy());
  };
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onvif/device_service`;
  return {
    url,
    start(target: string) {
      round = { operation: target, mutation: 'none (operation not reached)', target };
      return round;
    },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const TARGETS = ['device.GetSystemDateAndTime', 'device.GetServices', 'device.GetCapabilities', 'device.GetDeviceInformation', 'media2.GetProfiles', 'media2.GetStreamUri', 'media2.GetSnapshotUri', 'media.GetProfiles', 'media.GetStreamUri'];

describe(`the ONVIF client under fuzzing (seed ${SEED}; VIGIE_FUZZ_SEED to replay)`, () => {
  it(`${ROUNDS} onboardings, each with one mutated answer: no crash, no hang, every failure a named error naming the device`, async (t) => {
    const answers = await loadAnswers();
    const vendors = loadVendorProfiles();
    const rng = prng(SEED);
    const cameras = await Promise.all(Array.from({ length: SERVERS }, () => startMutatingCamera(answers, rng)));
    t.after(() => Promise.all(cameras.map((c) => c.stop())));
    const outcomes = new Map<string, number>();
    let succeeded = 0;
    let next = 0;
    await Promise.all(
      cameras.map(async (camera) => {
        while (next < ROUNDS) {
          const n = next++;
          const round = camera.start(pick(rng, TARGETS));
          const started = Date.now();
          const guard = new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 30_000).unref());
          const outcome = await Promise.race([
            onboardDevice({ url: new URL(camera.url), credentials: { username: 'admin', password: 'pw' }, logger: silentLogger(), timeoutMs: 1500, vendors }).then(
              () => 'ok' as const,
              (error: unknown) => error,
            ),
            guard,
          ]);
          const where = `round ${n}, ${round.operation}, ${round.mutation}`;
          assert.notEqual(outcome, 'hang', `${where}: no result within 30 s`);
          if (outcome === 'ok') {
            succeeded += 1;
            continue;
          }
          assert.ok(isVigieError(outcome), `${where}: not a named error: ${String(outcome)}\n${(outcome as Error)?.stack ?? ''}`);
          assert.ok(NAMED.has(outcome.code), `${where}: unexpected code ${outcome.code}: ${outcome.message}`);
          assert.ok(outcome.message.includes(camera.url), `${where}: the message names the device: ${outcome.message}`);
          assert.ok(outcome.hint, `${where}: a hint says what to do`);
          assert.ok(Date.now() - started < 30_000);
          outcomes.set(outcome.code, (outcomes.get(outcome.code) ?? 0) + 1);
        }
      }),
    );
    console.log(`${ROUNDS} rounds: ${succeeded} onboarded despite the mutation, failures ${JSON.stringify(Object.fromEntries(outcomes))}`);
    // A SOAP fault mostly lands on optional operations (the camera stays usable), so how many rounds end in
    // ONVIF_SOAP_FAULT depends on which operation each concurrent round reaches (0 to 2 in 1000): its classification
    // is asserted by the --fault soap-500 test (probe-errors.test.ts), not counted here.
    for (const code of ['CAMERA_UNREACHABLE', 'ONVIF_MALFORMED_RESPONSE', 'ONVIF_NOT_AN_ENDPOINT']) assert.ok((outcomes.get(code) ?? 0) > 0, `some rounds ended in ${code}`);
    assert.ok(succeeded > 0, 'mutations of optional answers (snapshot URIs, GetCapabilities) leave the camera usable');
  });
});
