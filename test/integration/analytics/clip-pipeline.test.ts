/**
 * The sample clip through the real pipeline, as an installer would run it: a simulated ONVIF camera streams the
 * clip over RTSP in real time, `startVigie` ingests it (ffmpeg, 5 frames/s, letterboxed), detects (YOLOX-Nano in a
 * worker thread), tracks and evaluates an intrusion zone over the walkway and the counting line of
 * docs/hand-count.md, for one pass of the clip (79.5 s).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { configSchema } from '../../../src/config/index.js';
import type { AnalyticsEvent, FrameDetections } from '../../../src/sdk/index.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { until } from '../../support/pipeline-standins.js';
import { tempDir } from '../../support/temp.js';

/** docs/hand-count.md: 27 crossings of the line, 15 right to left (A→B), 12 left to right (B→A). */
const HAND_COUNT = { a_to_b: 15, b_to_a: 12 };
const LINE = [[0.4, 0.3], [0.4, 0.66]];
const WALKWAY = [[0, 0.33], [0.5, 0.35], [0.9, 0.33], [1, 0.45], [1, 0.86], [0.4, 0.62], [0, 0.42]];
const CLIP_SECONDS = 79.5;

describe('the sample clip through the real pipeline (simulated camera → ingest → inference → tracking → rules)', () => {
  it('intrusion events for people on the walkway and none for the parked cars; the line count within 15% of the hand count', async (t) => {
    const dir = await tempDir(t);
    const sim = await startSimulator({ video: SAMPLE_CLIP, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'clip-pass' });
    t.after(() => sim.stop());
    const url = new URL(sim.cameras[0]!.rtsp.main);
    url.username = 'admin';
    url.password = 'clip-pass';
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, rtspPort: 0 },
      store: { path: join(dir, 'state.db') },
      models: { assetDir: SHARED_ASSETS },
      // no inference.scoreThreshold: by default the detector passes boxes down to tracking.lowScore (0.1), which
      // the tracker's second pass (ByteTrack) extends tracks with
      inference: { workers: 1 },
      ingest: { sampleFps: 5 },
      // a count wants every sampled frame: on a loaded test machine let frames wait rather than drop the oldest
      queue: { maxFramesInFlight: 16 },
      cameras: [
        {
          id: 'walkway',
          rtsp: url.toString(),
          rules: [
            { type: 'intrusion', name: 'walkway', zone: WALKWAY, minDwellSeconds: 0.5 },
            { type: 'line_crossing', name: 'walkway-line', line: LINE, cooldownSeconds: 0 },
          ],
        },
      ],
    });
    const logs = captureLogs('info');
    const vigie = await startVigie({ config, logger: logs.logger, configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    assert.ok(vigie.pipeline, `the pipeline runs (${vigie.describe().join('; ')})`);

    let firstCapture: number | undefined;
    let lastCapture = 0;
    let analysed = 0;
    vigie.pipeline.onDetections((d: FrameDetections) => {
      firstCapture ??= d.captureTime;
      lastCapture = d.captureTime;
      analysed++;
    });
    const events: AnalyticsEvent[] = [];
    let carsSeen = 0;
    vigie.analytics.onEvent((e) => events.push(e));
    vigie.analytics.onFrame((f) => {
      if (firstCapture !== undefined && f.captureTime - firstCapture < CLIP_SECONDS * 1000) carsSeen += f.tracks.filter((tr) => tr.label === 'car' || tr.label === 'truck').length;
    });
    await until(() => firstCapture !== undefined && lastCapture - firstCapture >= CLIP_SECONDS * 1000, `${CLIP_SECONDS} s of analysed frames`, 400_000);
    const inPass = events.filter((e) => Date.parse(e.frameTime) - firstCapture! < CLIP_SECONDS * 1000);
    const stats = vigie.pipeline.stats().cameras[0]!;
    t.diagnostic(`${analysed} frames analysed; camera ${JSON.stringify({ decoded: stats.ingest.decoded, skipped: stats.ingest.skippedByMotion, dropped: stats.dropped })}`);

    assert.ok(carsSeen > 100, `the parked cars are tracked (${carsSeen} car-frames), so their absence from intrusions means something`);
    const intrusions = inPass.filter((e) => e.type === 'intrusion');
    const starts = intrusions.filter((e) => e.state === 'start');
    assert.ok(starts.length >= 15, `${starts.length} intrusion incidents for people walking through`);
    assert.deepEqual([...new Set(intrusions.flatMap((e) => e.objects.map((o) => o.label)))], ['person'], 'no vehicle in any intrusion event');

    const crossings = inPass.filter((e) => e.type === 'line_crossing' && e.state === 'start' && e.objects.length > 0);
    const counts = { a_to_b: 0, b_to_a: 0 };
    for (const c of crossings) {
      const before = inPass.filter((e) => e.type === 'line_crossing' && e.sequence < c.sequence).at(-1);
      const prev = (before?.counts ?? { a_to_b: 0, b_to_a: 0 }) as typeof counts;
      const now = c.counts as typeof counts;
      if (now.a_to_b > prev.a_to_b) counts.a_to_b++;
      else counts.b_to_a++;
    }
    const total = counts.a_to_b + counts.b_to_a;
    const handTotal = HAND_COUNT.a_to_b + HAND_COUNT.b_to_a;
    t.diagnostic(`line count through the pipeline: A→B ${counts.a_to_b}, B→A ${counts.b_to_a} (total ${total}); by hand ${HAND_COUNT.a_to_b}, ${HAND_COUNT.b_to_a} (${handTotal}); intrusion incidents ${starts.length}`);
    assert.ok(Math.abs(total - handTotal) <= 0.15 * handTotal, `total ${total} vs ${handTotal} by hand`);
    for (const d of ['a_to_b', 'b_to_a'] as const) assert.ok(counts[d] > 0.5 * HAND_COUNT[d], `crossings counted in both directions: ${d} ${counts[d]} vs ${HAND_COUNT[d]} by hand`);
  });
});
