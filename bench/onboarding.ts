/**
 * Onboarding speed: N simulated cameras (default 16) onboarded at once by Vigie's ONVIF client (`onboardDevice`:
 * clock, services, identity, authentication, Media2 profiles, stream and snapshot URIs of every profile, profile
 * choice). Baseline, measured in the same run on the same cameras: the npm `onvif` client (agsh 0.8.3, the package
 * the product design names), connecting (`new Cam`: clock, capabilities, profiles, video sources) and asking the
 * stream and snapshot URIs of every profile. Rounds alternate the two clients.
 *
 *   npm run bench:onboarding -- [--cameras 16] [--rounds 5] [--auth both|digest|wsse] [--json]
 *
 * Last line: one JSON object with the median wall time per round of each client and ratioVigieToAgsh (< 1: faster).
 */
import { silentLogger } from '../src/logging/index.js';
import { loadVendorProfiles, onboardDevice } from '../src/onvif/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { agsh, connectAgsh } from '../test/support/onvif-npm-client.js';
import { SAMPLE_CLIP, SIMULATOR_CACHE } from '../test/support/paths.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const CAMERAS = Number(option('cameras', '16'));
const ROUNDS = Number(option('rounds', '5'));
const AUTH = option('auth', 'both') as 'both' | 'digest' | 'wsse';
const JSON_OUT = args.includes('--json');
const log = (line: string) => (JSON_OUT ? console.error(line) : console.log(line));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: CAMERAS, httpPort: 0, rtspPort: 0, discovery: false, auth: AUTH, password: 'bench-pw' });
const vendors = loadVendorProfiles();
const urls = sim.cameras.map((c) => c.deviceServiceUrl);

async function vigieRound(): Promise<number> {
  const started = performance.now();
  const reports = await Promise.all(urls.map((url) => onboardDevice({ url: new URL(url), credentials: { username: 'admin', password: 'bench-pw' }, logger: silentLogger(), vendors })));
  if (reports.some((r) => !r.chosen || r.profiles.some((p) => !p.streamUri || !p.snapshotUri))) throw new Error('Vigie missed a stream or snapshot URI');
  return performance.now() - started;
}

async function agshRound(): Promise<number> {
  const started = performance.now();
  await Promise.all(
    urls.map(async (url) => {
      const cam = await connectAgsh({ url, username: 'admin', password: 'bench-pw', useWSSecurity: AUTH !== 'digest' });
      for (const p of cam.profiles) {
        const stream = await agsh<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: p.$.token }, cb));
        const snapshot = await agsh<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: p.$.token }, cb));
        if (!stream.uri || !snapshot.uri) throw new Error('agsh missed a URI');
      }
    }),
  );
  return performance.now() - started;
}

const vigie: number[] = [];
const baseline: number[] = [];
try {
  await vigieRound(); // warm-up: JIT, sockets
  await agshRound();
  for (let r = 0; r < ROUNDS; r += 1) {
    // Alternate which client goes first, so neither always runs on a machine the other just warmed or loaded.
    if (r % 2 === 0) {
      vigie.push(await vigieRound());
      baseline.push(await agshRound());
    } else {
      baseline.push(await agshRound());
      vigie.push(await vigieRound());
    }
    log(`round ${r + 1}: vigie ${vigie.at(-1)!.toFixed(0)} ms, npm onvif ${baseline.at(-1)!.toFixed(0)} ms (${CAMERAS} cameras, auth ${AUTH})`);
  }
} finally {
  await sim.stop();
}
const result = {
  benchmark: 'onboarding',
  cameras: CAMERAS,
  auth: AUTH,
  rounds: ROUNDS,
  vigieMedianMs: Math.round(median(vigie)),
  agshMedianMs: Math.round(median(baseline)),
  vigiePerCameraMs: Math.round(median(vigie) / CAMERAS),
  ratioVigieToAgsh: Number((median(vigie) / median(baseline)).toFixed(2)),
};
console.log(JSON.stringify(result));
