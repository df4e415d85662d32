import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SoapFaultError } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { NS, createSoapEndpoint, parseSoapEnvelope, parseSoapFault, ter, xmlNamespace, type SoapOperation } from '../../../src/soap/index.js';
import { httpRequest, soapCall } from '../../support/soap-client.js';

const tds = xmlNamespace('tds', NS.tds);

function faultOf(text: string) {
  const message = parseSoapEnvelope(text);
  return parseSoapFault(message.body);
}

describe('SOAP endpoint', () => {
  let server: Server;
  let url: string;
  const operations: SoapOperation[] = [
    { uri: NS.tds, local: 'GetHostname', access: 'PRE_AUTH', handle: () => tds('GetHostnameResponse', tds('HostnameInformation', 'x')) },
    { uri: NS.tds, local: 'GetDeviceInformation', access: 'READ_SYSTEM', handle: (ctx) => tds('GetDeviceInformationResponse', tds('Manufacturer', ctx.user ?? 'anonymous')) },
    {
      uri: NS.tds,
      local: 'SetHostname',
      access: 'WRITE_SYSTEM',
      handle: () => {
        throw new SoapFaultError({ code: 'Sender', subcodes: [ter('InvalidArgVal'), ter('InvalidHostname')], reason: 'bad name' });
      },
    },
    {
      uri: NS.tds,
      local: 'SystemReboot',
      access: 'UNRECOVERABLE',
      handle: () => {
        throw new Error('boom');
      },
    },
  ];

  before(async () => {
    const endpoint = createSoapEndpoint({
      operations,
      logger: silentLogger(),
      maxBodyBytes: 4096,
      authorize: (ctx) =>
        ctx.access === 'PRE_AUTH' || ctx.request.headers['x-user']
          ? { allowed: true, user: ctx.request.headers['x-user'] as string | undefined }
          : { allowed: false, status: 401, headers: { 'WWW-Authenticate': ['Digest realm="a", nonce="1"', 'Digest realm="a", nonce="2", algorithm=SHA-256'] }, fault: { code: 'Sender', subcodes: [ter('NotAuthorized')], reason: 'Sender not authorized' } },
    });
    server = createServer(endpoint);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onvif/device_service`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('dispatches by namespace and local name and answers with Content-Length, never chunked', async () => {
    const res = await soapCall(url, tds('GetHostname'));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(res.body.length));
    assert.equal(res.headers['transfer-encoding'], undefined);
    assert.match(String(res.headers['content-type']), /^application\/soap\+xml; charset=utf-8/);
    const op = parseSoapEnvelope(res.text).operation!;
    assert.ok(op.is(NS.tds, 'GetHostnameResponse'));
  });

  it('asks the authorizer, and passes the user on', async () => {
    const refused = await soapCall(url, tds('GetDeviceInformation'));
    assert.equal(refused.status, 401);
    assert.equal(refused.rawHeaders.filter((h) => h.toLowerCase() === 'www-authenticate').length, 2, 'two WWW-Authenticate headers');
    assert.ok(faultOf(refused.text)?.hasSubcode('NotAuthorized', NS.ter));
    const allowed = await soapCall(url, tds('GetDeviceInformation'), { headers: { 'x-user': 'alice' } });
    assert.match(allowed.text, /<tds:Manufacturer>alice<\/tds:Manufacturer>/);
  });

  it('answers faults for unknown operations, handler faults and handler crashes', async () => {
    const unknown = await soapCall(url, tds('GetZeroConfiguration'));
    assert.equal(unknown.status, 500);
    const f1 = faultOf(unknown.text)!;
    assert.equal(f1.faultCode, 'Receiver');
    assert.ok(f1.hasSubcode('ActionNotSupported'));
    const invalid = await soapCall(url, tds('SetHostname'), { headers: { 'x-user': 'a' } });
    assert.equal(invalid.status, 400);
    assert.deepEqual(faultOf(invalid.text)!.subcodes.map((s) => s.local), ['InvalidArgVal', 'InvalidHostname']);
    const crash = await soapCall(url, tds('SystemReboot'), { headers: { 'x-user': 'a' } });
    assert.equal(crash.status, 500);
    assert.equal(faultOf(crash.text)!.reason, 'internal error', 'no internals leak to the client');
  });

  it('refuses malformed XML, DOCTYPE, SOAP 1.1, empty bodies and huge bodies with a fault, and keeps serving', async () => {
    const bad = await soapCall(url, null, { raw: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><unclosed></s:Body>' });
    assert.equal(bad.status, 400);
    assert.ok(faultOf(bad.text)!.hasSubcode('WellFormed'));
    const doctype = await soapCall(url, null, { raw: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><x>&a;</x>` });
    assert.equal(doctype.status, 400);
    assert.match(faultOf(doctype.text)!.reason, /DOCTYPE/);
    assert.doesNotMatch(doctype.text, /root:/);
    const soap11 = await soapCall(url, null, { raw: '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>' });
    assert.equal(faultOf(soap11.text)!.faultCode, 'VersionMismatch');
    const empty = await soapCall(url, null, { raw: `<s:Envelope xmlns:s="${NS.soap}"><s:Body/></s:Envelope>` });
    assert.equal(empty.status, 400);
    const huge = await soapCall(url, null, { raw: `<s:Envelope xmlns:s="${NS.soap}"><s:Body>${'x'.repeat(10_000)}</s:Body></s:Envelope>` });
    assert.equal(huge.status, 413);
    const get = await httpRequest(url);
    assert.equal(get.status, 405);
    assert.equal((await soapCall(url, tds('GetHostname'))).status, 200);
  });

  it('answers MustUnderstand for a mandatory header it does not know, and accepts WS-Security and WS-Addressing ones', async () => {
    const unknownHeader = `<s:Envelope xmlns:s="${NS.soap}"><s:Header><x:Trace xmlns:x="urn:vendor" s:mustUnderstand="true"/></s:Header><s:Body><GetHostname xmlns="${NS.tds}"/></s:Body></s:Envelope>`;
    const res = await soapCall(url, null, { raw: unknownHeader });
    assert.equal(faultOf(res.text)!.faultCode, 'MustUnderstand');
    const known = `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}"><s:Header><a:Action s:mustUnderstand="1">x</a:Action><Security xmlns="${NS.wsse}" s:mustUnderstand="1"/></s:Header><s:Body><GetHostname xmlns="${NS.tds}"/></s:Body></s:Envelope>`;
    assert.equal((await soapCall(url, null, { raw: known })).status, 200);
  });
});
