import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { runVigie, type CliResult } from '../../support/cli.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { closedTcpPort } from '../../support/udp.js';

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/onvif/device_service` })));
}

/** Exit 1, one `vigie: error [CODE]` line naming the device, a `fix:` line, no stack trace. */
function assertNamedError(result: CliResult, code: string, device: string, message: RegExp, fix: RegExp): void {
  assert.equal(result.code, 1, `exit code 1 expected:\n${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  const lines = result.stderr.split('\n').filter((l) => !l.startsWith('{'));
  const errorLine = lines.find((l) => l.startsWith('vigie: error ['));
  assert.ok(errorLine, result.stderr);
  assert.ok(errorLine.startsWith(`vigie: error [${code}] `), `${code} expected: ${errorLine}`);
  assert.ok(errorLine.includes(device), `the message names the device: ${errorLine}`);
  assert.match(errorLine, message);
  assert.match(result.stderr, new RegExp(`\\n  fix: .*${fix.source}`));
  assert.doesNotMatch(result.stderr, /\n\s+at [\w.<]/, 'no stack trace');
}

describe('vigie probe failures: each its own named error, exit 1, no stack trace', { concurrency: true }, () => {
  const sims: Record<string, SimulatorHandle> = {};
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  before(async () => {
    const common = { video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'right-pw' };
    const [good, malformed, soap500, wsseOnly, slow] = await Promise.all([
      startSimulator({ ...common }),
      startSimulator({ ...common, fault: { kind: 'malformed-xml' } }),
      startSimulator({ ...common, fault: { kind: 'soap-500' } }),
      startSimulator({ ...common, auth: 'wsse' }),
      startSimulator({ ...common, fault: { kind: 'slow', delayMs: 4000 } }),
    ]);
    Object.assign(sims, { good, malformed, soap500, wsseOnly, slow });
    const html = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Network Camera Login</title></head><body><form>user</form></body></html>');
    });
    const redirect = await listen((_req, res) => {
      res.writeHead(302, { Location: 'https://127.0.0.1/onvif/device_service' });
      res.end();
    });
    const notFound = await listen((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
    });
    servers.push(html.server, redirect.server, notFound.server);
    Object.assign(urls, { html: html.url, redirect: redirect.url, notFound: notFound.url, closed: `http://127.0.0.1:${await closedTcpPort()}/onvif/device_service` });
  });
  after(async () => {
    await Promise.all(Object.values(sims).map((s) => s.stop()));
    for (const s of servers) s.close();
  });

  it('wrong password: ONVIF_AUTH_FAILED, after WS-UsernameToken and HTTP Digest', async () => {
    const url = sims.good!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url, '--user', 'admin', '--password', 'wrong-pw']);
    assertNamedError(result, 'ONVIF_AUTH_FAILED', url, /refused user "admin" for GetDeviceInformation \(tried WS-UsernameToken, then HTTP Digest\)/, /check the user name and password/);
    assert.doesNotMatch(result.stderr, /wrong-pw/);
  });

  it('wrong password on a WS-UsernameToken-only camera: ONVIF_AUTH_FAILED after WS-UsernameToken only', async () => {
    const url = sims.wsseOnly!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url, '--user', 'admin', '--password', 'wrong-pw']);
    assertNamedError(result, 'ONVIF_AUTH_FAILED', url, /\(tried WS-UsernameToken\)$/, /check the user name and password/);
  });

  it('--fault malformed-xml: ONVIF_MALFORMED_RESPONSE naming the operation and the XML error', async () => {
    const url = sims.malformed!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url, '--user', 'admin', '--password', 'right-pw']);
    assertNamedError(result, 'ONVIF_MALFORMED_RESPONSE', url, /answered GetSystemDateAndTime with a malformed response: the XML is not well-formed: .*\(line \d+, column \d+\)/, /the camera firmware sent something ONVIF does not allow/);
  });

  it('--fault soap-500: ONVIF_SOAP_FAULT with code, subcode and reason', async () => {
    const url = sims.soap500!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url, '--user', 'admin', '--password', 'right-pw']);
    // GetSystemDateAndTime, GetServices and GetCapabilities have fallbacks; GetDeviceInformation has none.
    assertNamedError(result, 'ONVIF_SOAP_FAULT', url, /answered GetDeviceInformation with SOAP fault Receiver\/Action \(HTTP 500\): simulated device failure \(--fault soap-500\)/, /the camera failed while answering/);
  });

  it('an HTTP server that answers a web page: ONVIF_NOT_AN_ENDPOINT, with its title', async () => {
    const result = await runVigie(['probe', urls.html!, '--user', 'admin', '--password', 'x']);
    assertNamedError(result, 'ONVIF_NOT_AN_ENDPOINT', urls.html!, /is not an ONVIF device service: it answers GetSystemDateAndTime with a web page \(HTTP 200, "Network Camera Login"\)/, /this is the camera web page/);
  });

  it('a redirect to HTTPS: ONVIF_NOT_AN_ENDPOINT telling to use the https URL', async () => {
    const result = await runVigie(['probe', urls.redirect!]);
    assertNamedError(result, 'ONVIF_NOT_AN_ENDPOINT', urls.redirect!, /it redirects \(HTTP 302\) to https:\/\/127\.0\.0\.1\/onvif\/device_service/, /the camera only accepts HTTPS: use https:\/\/127\.0\.0\.1\/onvif\/device_service/);
  });

  it('a 404 at that path: ONVIF_NOT_AN_ENDPOINT pointing at /onvif/device_service', async () => {
    const result = await runVigie(['probe', urls.notFound!]);
    assertNamedError(result, 'ONVIF_NOT_AN_ENDPOINT', urls.notFound!, /HTTP 404, text\/plain, not XML/, /no service at this path/);
  });

  it('a closed port: CAMERA_UNREACHABLE, connection refused', async () => {
    const result = await runVigie(['probe', urls.closed!]);
    assertNamedError(result, 'CAMERA_UNREACHABLE', urls.closed!, /is unreachable \(GetSystemDateAndTime\): the connection was refused/, /check the address and port/);
  });

  it('a camera slower than --timeout: CAMERA_UNREACHABLE, no answer within the deadline', async () => {
    const url = sims.slow!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url, '--timeout', '1']);
    assertNamedError(result, 'CAMERA_UNREACHABLE', url, /is unreachable \(GetSystemDateAndTime\): no answer within 1 s/, /a slow camera may need a longer --timeout/);
  });

  it('no credentials for a camera that needs them: ONVIF_AUTH_FAILED telling to pass --user', async () => {
    const url = sims.good!.cameras[0]!.deviceServiceUrl;
    const result = await runVigie(['probe', url]);
    assertNamedError(result, 'ONVIF_AUTH_FAILED', url, /refused an anonymous request for GetDeviceInformation/, /pass --user and --password/);
  });

  it('bad arguments: USAGE errors', async () => {
    const creds = await runVigie(['probe', 'http://admin:pw@127.0.0.1/onvif/device_service']);
    assert.equal(creds.code, 1);
    assert.match(creds.stderr, /error \[USAGE\] credentials in the device URL are not accepted\n\s+fix: pass them with --user and --password/);
    const scheme = await runVigie(['probe', 'ftp://127.0.0.1/']);
    assert.match(scheme.stderr, /error \[USAGE\] "ftp:\/\/127\.0\.0\.1\/" is not an http or https URL/);
    const quirk = await runVigie(['simulate', '--video', SAMPLE_CLIP, '--quirk', 'no-media2', '--quirk', 'flaky']);
    assert.equal(quirk.code, 1);
    assert.match(quirk.stderr, /error \[USAGE\] --quirk "flaky" is not one of sdt-needs-auth, no-utc-datetime, no-media2, no-get-services, wsse-time-fault/);
  });
});
