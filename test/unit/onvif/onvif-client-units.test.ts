import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NotOnvifEndpointError, OnvifMalformedResponseError, type OnvifNoProfileError } from '../../../src/errors/index.js';
import {
  chooseProfile,
  localizeMediaUrl,
  localizeServiceUrl,
  parseDeviceUrl,
  readDeviceInformation,
  readMedia1Profiles,
  readMedia2Profiles,
  readServices,
  readSystemDateAndTime,
  timeZoneOffsetMs,
  type MediaProfile,
} from '../../../src/onvif/index.js';
import { readSoapAnswer } from '../../../src/onvif/soap-answer.js';
import { NS, parseSoapEnvelope, parseXml } from '../../../src/soap/index.js';
import { SHARED_DIR } from '../../support/paths.js';

const EXAMPLES = join(SHARED_DIR, 'schemas', 'onvif', 'examples');
const body = async (file: string) => parseSoapEnvelope(await readFile(join(EXAMPLES, file))).operation!;
const device = new URL('http://127.0.0.1:8080/onvif/device_service');

describe('reading ONVIF answers (official schema examples)', () => {
  it('GetServices: service URLs by namespace, moved to the address that answered', async () => {
    const services = readServices(await body('services-resp.xml'), device);
    assert.equal(services.from, 'GetServices');
    assert.equal(services.device, device.href);
    assert.equal(services.media2, 'http://127.0.0.1:8080/onvif/media2_service');
    assert.equal(services.events, 'http://127.0.0.1:8080/onvif/event_service');
    assert.equal(services.all.find((s) => s.namespace === NS.tr2)?.announced, 'http://192.168.1.50:8080/onvif/media2_service');
    assert.equal(services.all[0]?.version, '24.12');
  });

  it('GetDeviceInformation, GetSystemDateAndTime', async () => {
    assert.deepEqual(readDeviceInformation(await body('getdeviceinfo-resp.xml')), { manufacturer: 'Acme', model: 'Bridge-1', firmwareVersion: '1.0.0', serialNumber: '0001', hardwareId: 'bridge' });
    const clock = readSystemDateAndTime(await body('sdt-resp.xml'));
    assert.equal(clock.source, 'UTCDateTime');
    assert.equal(clock.deviceUtcMs, Date.UTC(2024, 4, 1, 12, 0, 5) + 500);
    assert.equal(clock.dateTimeType, 'NTP');
  });

  it('Media and Media2 profiles with encoder, size, rate and bitrate', async () => {
    const expected = { token: 'profile_1', name: 'main', encoding: 'H264', width: 1920, height: 1080, fps: 25, bitrateKbps: 4096, codecProfile: 'Main', videoSourceToken: 'vs_1', problems: [] };
    assert.deepEqual(readMedia1Profiles(await body('trt-getprofiles-resp.xml')), [expected]);
    assert.deepEqual(readMedia2Profiles(await body('tr2-getprofiles-resp.xml')), [expected]);
  });
});

describe('device clocks', () => {
  const sdt = (inner: string) =>
    parseXml(`<tds:R xmlns:tds="${NS.tds}" xmlns:tt="${NS.tt}"><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>${inner.includes('DST') ? 'true' : 'false'}</tt:DaylightSavings>${inner.replace('DST', '')}</tds:SystemDateAndTime></tds:R>`);
  const local = (h: number) => `<tt:LocalDateTime><tt:Time><tt:Hour>${h}</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2024</tt:Year><tt:Month>5</tt:Month><tt:Day>1</tt:Day></tt:Date></tt:LocalDateTime>`;
  const noon = Date.UTC(2024, 4, 1, 12) + 500;

  it('without UTCDateTime: LocalDateTime shifted by the POSIX or IANA time zone (and DST when flagged)', () => {
    assert.equal(readSystemDateAndTime(sdt(`<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>${local(20)}`)).deviceUtcMs, noon);
    assert.equal(readSystemDateAndTime(sdt(`<tt:TimeZone><tt:TZ>EST5EDT,M3.2.0,M11.1.0</tt:TZ></tt:TimeZone>DST${local(8)}`)).deviceUtcMs, noon);
    assert.equal(readSystemDateAndTime(sdt(`<tt:TimeZone><tt:TZ>Europe/Paris</tt:TZ></tt:TimeZone>${local(14)}`)).deviceUtcMs, noon);
    assert.equal(readSystemDateAndTime(sdt(local(12))).deviceUtcMs, noon, 'no time zone: UTC');
    const unknown = readSystemDateAndTime(sdt(`<tt:TimeZone><tt:TZ>Mars/Olympus</tt:TZ></tt:TimeZone>${local(12)}`));
    assert.equal(unknown.source, 'none');
    assert.match(unknown.note ?? '', /not understood/);
  });

  it('POSIX offsets: west is positive', () => {
    assert.equal(timeZoneOffsetMs('UTC0'), 0);
    assert.equal(timeZoneOffsetMs('CST-8:00:00'), 8 * 3_600_000);
    assert.equal(timeZoneOffsetMs('<+0530>-5:30'), 5.5 * 3_600_000);
    assert.equal(timeZoneOffsetMs('PST8PDT'), -8 * 3_600_000);
    assert.equal(timeZoneOffsetMs('garbage'), undefined);
  });

  it('impossible dates are no time at all', () => {
    const bad = `<tt:UTCDateTime><tt:Time><tt:Hour>25</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2024</tt:Year><tt:Month>13</tt:Month><tt:Day>1</tt:Day></tt:Date></tt:UTCDateTime>`;
    assert.equal(readSystemDateAndTime(sdt(bad)).source, 'none');
  });
});

describe('choosing the profile to analyse', () => {
  const p = (token: string, width: number, height: number, encoding = 'H264', extra: Partial<MediaProfile> = {}): MediaProfile => ({
    token, name: token, encoding, width, height, fps: 25, bitrateKbps: undefined, codecProfile: undefined, videoSourceToken: undefined, streamUri: `rtsp://h/${token}`, problems: [], ...extra,
  });
  const input = { width: 416, height: 416 };

  it('the smallest stream whose letterbox into the model input does not enlarge it', () => {
    const profiles = [p('main', 2560, 1440), p('sub', 640, 360), p('tiny', 352, 288), p('third', 1280, 720)];
    assert.equal(chooseProfile(profiles, input, 'cam').profile.token, 'sub', '640x360 fills 416 wide: no detail lost');
    assert.equal(chooseProfile([p('a', 400, 300), p('b', 320, 240)], input, 'cam').profile.token, 'a', 'all smaller: the largest');
    assert.equal(chooseProfile([p('mj', 640, 480, 'JPEG'), p('h265', 640, 480, 'H265'), p('h264', 640, 480)], input, 'cam').profile.token, 'h264', 'same size: the cheaper codec');
    assert.equal(chooseProfile([p('big', 1920, 1080), p('nouri', 640, 360, 'H264', { streamUri: undefined }), p('audio', 0, 0, undefined as unknown as string, { encoding: undefined })], input, 'cam').profile.token, 'big');
  });

  it('a configured profile wins; a missing one is an error listing the tokens', () => {
    const profiles = [p('main', 2560, 1440), p('sub', 640, 360)];
    assert.deepEqual(chooseProfile(profiles, input, 'cam', 'main'), { profile: profiles[0], reason: 'named in the configuration' });
    assert.throws(() => chooseProfile(profiles, input, 'cam', 'Profile_9'), (e: OnvifNoProfileError) => e.code === 'ONVIF_NO_USABLE_PROFILE' && /set cameras\[\]\.onvif\.profile to one of: main, sub/.test(e.hint ?? ''));
    assert.throws(() => chooseProfile([p('x', 640, 480, 'H264', { streamUri: undefined, problems: ['GetStreamUri: Sender/InvalidArgVal'] })], input, 'cam'), /no media profile has a video stream Vigie can decode \(profiles: x; x: GetStreamUri: Sender\/InvalidArgVal\)/);
  });
});

describe('URLs', () => {
  it('device URLs from what installers type', () => {
    assert.equal(parseDeviceUrl('192.0.2.10').href, 'http://192.0.2.10/onvif/device_service');
    assert.equal(parseDeviceUrl('192.0.2.10:8080').href, 'http://192.0.2.10:8080/onvif/device_service');
    assert.equal(parseDeviceUrl('https://cam/onvif/services').href, 'https://cam/onvif/services');
    assert.equal(parseDeviceUrl('http://cam/').href, 'http://cam/onvif/device_service');
  });

  it('service and media URLs on another host are moved to the host that answered', () => {
    assert.deepEqual(localizeServiceUrl('http://192.168.1.64/onvif/Media?x=1', device), { url: 'http://127.0.0.1:8080/onvif/Media?x=1', rewritten: true, original: 'http://192.168.1.64/onvif/Media?x=1' });
    assert.equal(localizeServiceUrl('http://127.0.0.1:9000/onvif/Media', device)?.url, 'http://127.0.0.1:9000/onvif/Media', 'same host, another port: kept');
    assert.equal(localizeMediaUrl('rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1', device, ['rtsp:'])?.url, 'rtsp://127.0.0.1:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1');
    assert.equal(localizeMediaUrl('http://x/y.jpg', device, ['rtsp:']), undefined);
  });
});

describe('reading HTTP answers of ONVIF calls', () => {
  const answer = (status: number, text: string, headers: Record<string, string> = {}) => ({
    status,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    rawHeaders: Object.entries(headers).flat(),
    body: Buffer.from(text),
    receivedAt: Date.now(),
  });
  const ctx = { device: 'http://cam/onvif/device_service', operation: 'GetDeviceInformation', expected: { uri: NS.tds, local: 'GetDeviceInformationResponse' }, maxBytes: 1 << 20 };
  const env = (inner: string) => `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="${NS.tds}" xmlns:ter="${NS.ter}"><e:Body>${inner}</e:Body></e:Envelope>`;

  it('a response, a fault (NotAuthorized recognised), a challenge', () => {
    assert.equal(readSoapAnswer(answer(200, env('<tds:GetDeviceInformationResponse/>')), ctx).kind, 'ok');
    const fault = readSoapAnswer(answer(400, env('<e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>ter:NotAuthorized</e:Value></e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">no</e:Text></e:Reason></e:Fault>')), ctx);
    assert.ok(fault.kind === 'fault' && fault.notAuthorized && fault.error.code === 'ONVIF_SOAP_FAULT');
    const challenge = readSoapAnswer(answer(401, 'Unauthorized', { 'WWW-Authenticate': 'Digest realm="a", nonce="1"' }), ctx);
    assert.deepEqual(challenge, { kind: 'challenge', challenges: ['Digest realm="a", nonce="1"'] });
  });

  it('web pages, redirects, 404s, text and SOAP 1.1 are not ONVIF endpoints; broken XML and wrong responses are malformed', () => {
    const not = (a: ReturnType<typeof answer>, kind: string) => assert.throws(() => readSoapAnswer(a, ctx), (e: NotOnvifEndpointError) => e instanceof NotOnvifEndpointError && e.kind === kind);
    not(answer(200, '<!doctype html><html><title>Web</title></html>'), 'html');
    not(answer(200, 'x', { 'Content-Type': 'text/html' }), 'html');
    not(answer(301, '', { Location: 'https://cam/' }), 'redirect');
    not(answer(404, 'nope'), 'not-found');
    not(answer(200, 'OK'), 'not-soap');
    not(answer(200, '<upnp:root xmlns:upnp="urn:schemas-upnp-org:device-1-0"/>'), 'not-soap');
    not(answer(200, '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r/></s:Body></s:Envelope>'), 'soap11');
    const bad = (a: ReturnType<typeof answer>, detail: RegExp) => assert.throws(() => readSoapAnswer(a, ctx), (e: OnvifMalformedResponseError) => e instanceof OnvifMalformedResponseError && detail.test(e.message));
    bad(answer(200, '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>'), /not well-formed/);
    bad(answer(200, ''), /empty body/);
    bad(answer(200, env('<tds:GetServicesResponse/>')), /expected \{http:\/\/www\.onvif\.org\/ver10\/device\/wsdl\}GetDeviceInformationResponse, got .*GetServicesResponse/);
    bad(answer(200, env('')), /the SOAP Body is empty/);
  });
});
