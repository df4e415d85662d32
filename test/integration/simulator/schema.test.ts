import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/index.js';
import { NS, xmlNamespace, type XmlContent } from '../../../src/soap/index.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { validateDocuments } from '../../support/schemas.js';
import { soapCall } from '../../support/soap-client.js';
import { tempDir } from '../../support/temp.js';

const tds = xmlNamespace('tds', NS.tds);
const trt = xmlNamespace('trt', NS.trt);
const tr2 = xmlNamespace('tr2', NS.tr2);
const tt = xmlNamespace('tt', NS.tt);

describe('simulated camera SOAP answers', () => {
  let sim: SimulatorHandle;
  before(async () => {
    sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'pw-schema', clockOffsetSeconds: -3600 });
  });
  after(() => sim.stop());

  it('validate against the official ONVIF schemas (xmllint), faults included', async (t) => {
    const cam = sim.cameras[0]!;
    const calls: Record<string, [string, XmlContent]> = {
      'tds-GetSystemDateAndTime': [cam.deviceServiceUrl, tds('GetSystemDateAndTime')],
      'tds-GetServices-capabilities': [cam.deviceServiceUrl, tds('GetServices', tds('IncludeCapability', true))],
      'tds-GetServices': [cam.deviceServiceUrl, tds('GetServices', tds('IncludeCapability', false))],
      'tds-GetServiceCapabilities': [cam.deviceServiceUrl, tds('GetServiceCapabilities')],
      'tds-GetCapabilities-All': [cam.deviceServiceUrl, tds('GetCapabilities', tds('Category', 'All'))],
      'tds-GetCapabilities-Media': [cam.deviceServiceUrl, tds('GetCapabilities', tds('Category', 'Media'))],
      'tds-GetDeviceInformation': [cam.deviceServiceUrl, tds('GetDeviceInformation')],
      'tds-GetScopes': [cam.deviceServiceUrl, tds('GetScopes')],
      'tds-GetNetworkInterfaces': [cam.deviceServiceUrl, tds('GetNetworkInterfaces')],
      'tds-GetHostname': [cam.deviceServiceUrl, tds('GetHostname')],
      'tds-GetNetworkDefaultGateway': [cam.deviceServiceUrl, tds('GetNetworkDefaultGateway')],
      'tds-GetDNS': [cam.deviceServiceUrl, tds('GetDNS')],
      'tds-GetNTP': [cam.deviceServiceUrl, tds('GetNTP')],
      'trt-GetServiceCapabilities': [cam.mediaServiceUrl, trt('GetServiceCapabilities')],
      'trt-GetProfiles': [cam.mediaServiceUrl, trt('GetProfiles')],
      'trt-GetProfile': [cam.mediaServiceUrl, trt('GetProfile', trt('ProfileToken', 'profile_sub'))],
      'trt-GetStreamUri': [cam.mediaServiceUrl, trt('GetStreamUri', [trt('StreamSetup', [tt('Stream', 'RTP-Unicast'), tt('Transport', tt('Protocol', 'RTSP'))]), trt('ProfileToken', 'profile_main')])],
      'trt-GetSnapshotUri': [cam.mediaServiceUrl, trt('GetSnapshotUri', trt('ProfileToken', 'profile_main'))],
      'trt-GetVideoSources': [cam.mediaServiceUrl, trt('GetVideoSources')],
      'trt-GetVideoSourceConfigurations': [cam.mediaServiceUrl, trt('GetVideoSourceConfigurations')],
      'trt-GetVideoEncoderConfigurations': [cam.mediaServiceUrl, trt('GetVideoEncoderConfigurations')],
      'trt-GetVideoEncoderConfiguration': [cam.mediaServiceUrl, trt('GetVideoEncoderConfiguration', trt('ConfigurationToken', 'encoder_sub'))],
      'trt-GetVideoEncoderConfigurationOptions': [cam.mediaServiceUrl, trt('GetVideoEncoderConfigurationOptions')],
      'trt-GetVideoEncoderConfigurationOptions-profile': [cam.mediaServiceUrl, trt('GetVideoEncoderConfigurationOptions', trt('ProfileToken', 'profile_main'))],
      'tr2-GetServiceCapabilities': [cam.media2ServiceUrl, tr2('GetServiceCapabilities')],
      'tr2-GetProfiles-All': [cam.media2ServiceUrl, tr2('GetProfiles', tr2('Type', 'All'))],
      'tr2-GetProfiles-bare': [cam.media2ServiceUrl, tr2('GetProfiles')],
      'tr2-GetProfiles-token': [cam.media2ServiceUrl, tr2('GetProfiles', [tr2('Token', 'profile_sub'), tr2('Type', 'VideoEncoder')])],
      'tr2-GetStreamUri-RtspUnicast': [cam.media2ServiceUrl, tr2('GetStreamUri', [tr2('Protocol', 'RtspUnicast'), tr2('ProfileToken', 'profile_main')])],
      'tr2-GetStreamUri-RtspOverHttp': [cam.media2ServiceUrl, tr2('GetStreamUri', [tr2('Protocol', 'RtspOverHttp'), tr2('ProfileToken', 'profile_main')])],
      'trt-GetStreamUri-HTTP': [cam.mediaServiceUrl, trt('GetStreamUri', [trt('StreamSetup', [tt('Stream', 'RTP-Unicast'), tt('Transport', tt('Protocol', 'HTTP'))]), trt('ProfileToken', 'profile_main')])],
      'tr2-GetStreamUri-RTSP': [cam.media2ServiceUrl, tr2('GetStreamUri', [tr2('Protocol', 'RTSP'), tr2('ProfileToken', 'profile_sub')])],
      'tr2-GetSnapshotUri': [cam.media2ServiceUrl, tr2('GetSnapshotUri', tr2('ProfileToken', 'profile_sub'))],
      'tr2-GetVideoSourceConfigurations': [cam.media2ServiceUrl, tr2('GetVideoSourceConfigurations')],
      'tr2-GetVideoEncoderConfigurations': [cam.media2ServiceUrl, tr2('GetVideoEncoderConfigurations')],
    };
    const documents: Record<string, string> = {};
    await Promise.all(
      Object.entries(calls).map(async ([name, [url, body]]) => {
        const res = await soapCall(url, body, { auth: 'wsse', password: 'pw-schema', clockOffsetMs: -3600_000 });
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        documents[name] = res.text;
      }),
    );
    const faults: Record<string, [string, XmlContent, number]> = {
      'fault-NotAuthorized': [cam.deviceServiceUrl, tds('GetDeviceInformation'), 401],
      'fault-ActionNotSupported': [cam.deviceServiceUrl, tds('SystemReboot'), 500],
      'fault-NoProfile': [cam.mediaServiceUrl, trt('GetSnapshotUri', trt('ProfileToken', 'nope')), 400],
      'fault-InvalidStreamSetup': [cam.media2ServiceUrl, tr2('GetStreamUri', [tr2('Protocol', 'RtspMulticast'), tr2('ProfileToken', 'profile_main')]), 400],
    };
    for (const [name, [url, body, status]] of Object.entries(faults)) {
      const res = await soapCall(url, body, { auth: name === 'fault-NotAuthorized' ? 'none' : 'wsse', password: 'pw-schema', clockOffsetMs: -3600_000 });
      assert.equal(res.status, status, `${name}: ${res.text}`);
      documents[name] = res.text;
    }
    const tunnel = `http://127.0.0.1:${cam.rtspPort}/`;
    assert.match(documents['tr2-GetStreamUri-RtspOverHttp']!, new RegExp(`<tr2:Uri>${tunnel}[^<]+</tr2:Uri>`), 'RtspOverHttp: http:// on the RTSP port');
    assert.match(documents['trt-GetStreamUri-HTTP']!, new RegExp(`<tt:Uri>${tunnel}[^<]+</tt:Uri>`), 'Media1 HTTP transport: the same tunnel URI');
    const dir = await tempDir(t);
    const result = await validateDocuments('soap', dir, documents);
    assert.ok(result.ok, result.output);
    assert.equal(result.output.match(/validates/g)?.length, Object.keys(documents).length);
  });
});
