import { readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DigestServer, UsernameTokenVerifier, staticCredentials } from '../../src/auth/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createOnvifAuthorizer } from '../../src/simulator/onvif-auth.js';
import { NS, faultReply, parseSoapEnvelope, readRequestBody, sendReply, ter, type AccessClass, type SoapRequestContext } from '../../src/soap/index.js';
import { REPO_ROOT } from './paths.js';

export const FIXTURES_DIR = join(REPO_ROOT, 'onvif-profiles', 'fixtures');

const cameraSchema = z.strictObject({
  description: z.string(),
  user: z.string(),
  password: z.string(),
  auth: z.enum(['digest', 'wsse', 'both']),
  digestAlgorithms: z.array(z.enum(['MD5', 'SHA-256'])).default(['MD5']),
  sdtNeedsAuth: z.boolean().default(false),
  httpDate: z.boolean().default(true),
  timeFault: z.string().optional(),
  clock: z.string(),
  paths: z.array(z.string()).min(1),
  expect: z.strictObject({
    vendor: z.string().optional(),
    auth: z.string().optional(),
    digestAlgorithm: z.string().optional(),
    clockSource: z.string().optional(),
    media: z.enum(['media1', 'media2']).optional(),
    analyse: z.string().optional(),
    streams: z.record(z.string(), z.string()).default({}),
    notes: z.array(z.string()).default([]),
    error: z.string().optional(),
    errorMessage: z.string().optional(),
  }),
});

export type FixtureCamera = z.output<typeof cameraSchema>;

const SERVICE_OF: Record<string, string> = { [NS.tds]: 'device', [NS.trt]: 'media', [NS.tr2]: 'media2', [NS.tev]: 'events' };
const OPEN = new Set(['GetSystemDateAndTime', 'GetServices', 'GetCapabilities', 'GetServiceCapabilities', 'GetHostname']);

export async function fixtureNames(): Promise<string[]> {
  return (await readdir(FIXTURES_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

export async function readFixtureCamera(name: string): Promise<FixtureCamera> {
  return cameraSchema.parse(parse(await readFile(join(FIXTURES_DIR, name, 'camera.yaml'), 'utf8')));
}

export interface FixtureServer {
  url: string;
  host: string;
  camera: FixtureCamera;
  /** `Operation` (and `Operation:token`) of every request, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * Replays a recorded camera (onvif-profiles/fixtures/<name>/): its answers byte for byte, per operation (and
 * profile token), behind the authentication it has (HTTP Digest with its challenges, WS-UsernameToken checked
 * against its own clock, or both), with its HTTP Date header. Unknown operations get ActionNotSupported.
 */
export async function startFixtureServer(name: string): Promise<FixtureServer> {
  const dir = join(FIXTURES_DIR, name);
  const camera = await readFixtureCamera(name);
  const files = new Map<string, string>();
  for (const file of await readdir(dir)) if (file.endsWith('.xml')) files.set(file.slice(0, -4), await readFile(join(dir, file), 'utf8'));
  const startedAt = Date.now();
  const cameraClock = () => Date.parse(camera.clock) + (Date.now() - startedAt);
  const users = staticCredentials([{ username: camera.user, password: camera.password }]);
  const authorize = createOnvifAuthorizer({
    mode: camera.auth,
    digest: new DigestServer({ realm: 'IP Camera(F1234)', credentials: users, algorithms: camera.digestAlgorithms }),
    tokens: new UsernameTokenVerifier({ credentials: users, now: cameraClock }),
    logger: silentLogger(),
    timeFaultReason: camera.timeFault,
  });
  const requests: string[] = [];
  const paths = new Set(camera.paths);

  const server: Server = createServer((req, res) => {
    void (async () => {
      res.sendDate = false;
      if (camera.httpDate) res.setHeader('Date', new Date(cameraClock()).toUTCString());
      if (!paths.has(new URL(req.url ?? '/', 'http://x').pathname)) {
        sendReply(res, { status: 404, body: 'Not Found\n', contentType: 'text/plain' });
        return;
      }
      const read = await readRequestBody(req, 256 * 1024);
      if (!read.ok) return sendReply(res, faultReply({ code: 'Sender', reason: read.reason }));
      const message = parseSoapEnvelope(read.body);
      const operation = message.operation!;
      const token = operation.children.find((c) => c.local === 'ProfileToken')?.text.trim();
      requests.push(token ? `${operation.local}:${token}` : operation.local);
      const access: AccessClass = OPEN.has(operation.local) && !(camera.sdtNeedsAuth && operation.local === 'GetSystemDateAndTime') ? 'PRE_AUTH' : 'READ_MEDIA';
      const context = { request: req, message, operation, access, localAddress: '127.0.0.1', localPort: 0 } as SoapRequestContext;
      const decision = await authorize(context, read.body);
      if (!decision.allowed) return sendReply(res, faultReply({ ...decision.fault, httpStatus: decision.status }, decision.headers));
      const service = SERVICE_OF[operation.uri] ?? 'unknown';
      const body = (token ? files.get(`${service}.${operation.local}.${token}`) : undefined) ?? files.get(`${service}.${operation.local}`);
      if (!body) return sendReply(res, faultReply({ code: 'Receiver', subcodes: [ter('ActionNotSupported')], reason: 'Optional Action Not Implemented' }));
      const fault = /<(?:[\w-]+:)?Fault>/.test(body) ? (/Value>[\w-]*:?Sender</.test(body) ? 400 : 500) : 200;
      sendReply(res, { status: fault, body });
    })().catch((error: unknown) => sendReply(res, { status: 500, body: `fixture server error: ${String(error)}`, contentType: 'text/plain' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${camera.paths[0]}`,
    host: '127.0.0.1',
    camera,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
