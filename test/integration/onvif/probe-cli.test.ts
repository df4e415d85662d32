import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type SimulatorHandle, type SimulatorOptionsInput } from '../../../src/simulator/index.js';
import { runVigie } from '../../support/cli.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../../support/paths.js';
import { run } from '../../support/processes.js';

const PASSWORD = 'Probe-pw-7';

const CASES: Array<{ name: string; options: Partial<SimulatorOptionsInput>; auth: string; offset: number }> = [
  { name: '--auth digest', options: { auth: 'digest' }, auth: 'http-digest', offset: 0 },
  { name: '--auth wsse', options: { auth: 'wsse' }, auth: 'ws-security', offset: 0 },
  { name: '--auth both', options: { auth: 'both' }, auth: 'ws-security', offset: 0 },
  { name: '--auth wsse --clock-offset +3600', options: { auth: 'wsse', clockOffsetSeconds: 3600 }, auth: 'ws-security', offset: 3600 },
  { name: '--auth wsse --clock-offset -3600', options: { auth: 'wsse', clockOffsetSeconds: -3600 }, auth: 'ws-security', offset: -3600 },
  { name: '--auth digest --digest-algorithms MD5,SHA-256 --clock-offset +3600', options: { auth: 'digest', digestAlgorithms: ['MD5', 'SHA-256'], clockOffsetSeconds: 3600 }, auth: 'http-digest', offset: 3600 },
];

interface ProbeJson {
  identity: { manufacturer: string; model: string; serialNumber: string };
  clock: { offsetSeconds: number; source: string };
  auth: { mode: string; username: string; digestAlgorithm: string | null };
  media: string;
  profiles: Array<{ token: string; encoding: string; width: number; height: number; fps: number; streamUri: string; snapshotUri: string }>;
  analyse: { token: string; reason: string };
}

describe('vigie probe against simulated cameras', { concurrency: true }, () => {
  const sims = new Map<string, SimulatorHandle>();
  before(async () => {
    const started = await Promise.all(
      CASES.map((c) => startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: PASSWORD, ...c.options })),
    );
    CASES.forEach((c, i) => sims.set(c.name, started[i]!));
  });
  after(() => Promise.all([...sims.values()].map((s) => s.stop())));

  for (const c of CASES) {
    it(`${c.name}: identity, clock offset, auth mode, profiles with codec, size, rate, stream and snapshot URIs; the RTSP URI plays`, async () => {
      const camera = sims.get(c.name)!.cameras[0]!;
      const result = await runVigie(['probe', camera.deviceServiceUrl, '--user', 'admin', '--password', PASSWORD, '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD), 'the password appears nowhere in the output');
      const report = JSON.parse(result.stdout) as ProbeJson;
      assert.equal(report.identity.manufacturer, 'Vigie');
      assert.match(report.identity.serialNumber, /^VSIM-/);
      assert.equal(report.auth.mode, c.auth);
      assert.equal(report.auth.username, 'admin');
      if (c.options.digestAlgorithms?.includes('SHA-256')) assert.equal(report.auth.digestAlgorithm, 'SHA-256', 'the strongest of the two WWW-Authenticate challenges');
      assert.equal(report.clock.source, 'UTCDateTime');
      assert.ok(Math.abs(report.clock.offsetSeconds - c.offset) < 5, `clock offset ${report.clock.offsetSeconds} s, camera runs ${c.offset} s off`);
      assert.equal(report.media, 'media2');
      assert.deepEqual(
        report.profiles.map((p) => [p.token, p.encoding, p.width, p.height, p.fps, p.streamUri, p.snapshotUri]),
        [
          ['profile_main', 'H264', 768, 576, 10, camera.rtsp.main, camera.snapshot.main],
          ['profile_sub', 'H264', 384, 288, 5, camera.rtsp.sub, camera.snapshot.sub],
        ],
      );
      // 384x288 would be enlarged to fit 416x416: the main stream is the smallest one at or above the input.
      assert.equal(report.analyse.token, 'profile_main');
      assert.match(report.analyse.reason, /smallest stream at or above the model input 416x416/);

      const url = new URL(report.profiles[0]!.streamUri);
      url.username = 'admin';
      url.password = PASSWORD;
      const probe = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', url.href], { timeoutMs: 60_000 });
      assert.equal(probe.stdout.trim(), 'h264,768,576', probe.stderr);
    });
  }

  it('prints a readable report, marking the profile it would analyse', async () => {
    const camera = sims.get('--auth wsse --clock-offset -3600')!.cameras[0]!;
    const result = await runVigie(['probe', camera.deviceServiceUrl.replace('http://', '').replace('/onvif/device_service', ''), '--user', 'admin', '--password', PASSWORD, '--profile', 'profile_sub']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^identity {2}Vigie Simulated camera; firmware 1\.0\.0; serial VSIM-\w+; hardware VSIM-1$/m);
    assert.match(result.stdout, /^clock {5}camera -3\d{3}\.\d s from this machine \(UTCDateTime, Manual, TZ UTC0\)$/m);
    assert.match(result.stdout, /^auth {6}WS-UsernameToken as admin$/m);
    assert.match(result.stdout, /^ {4}profile_main\s+MainStream\s+H264\s+768x576\s+10\s+rtsp:\/\//m);
    assert.match(result.stdout, /^ {2}\* profile_sub\s+SubStream\s+H264\s+384x288\s+5\s+rtsp:\/\//m);
    assert.match(result.stdout, /^analyse {3}profile_sub: named in the configuration$/m);
  });
});
