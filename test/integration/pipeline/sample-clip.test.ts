import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startVigie } from '../../../src/app/index.js';
import { configSchema } from '../../../src/config/index.js';
import type { FrameDetections } from '../../../src/sdk/index.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { captureLogs } from '../../support/log-capture.js';
import { SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../../support/paths.js';
import { until } from '../../support/pipeline-standins.js';
import { tempDir } from '../../support/temp.js';

const SECONDS = 20;

describe('the embedded pipeline on the sample clip', () => {
  it(`a simulated camera analysed by vigie for ${SECONDS} s at 5 fps: persons in at least 90% of analysed frames, with boxes a walking person fits`, async (t) => {
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
      inference: { workers: 1 },
      ingest: { sampleFps: 5 },
      cameras: [{ id: 'walkway', rtsp: url.toString() }],
    });
    const logs = captureLogs('info');
    const vigie = await startVigie({ config, logger: logs.logger, configFile: undefined, env: {} });
    t.after(() => vigie.stop());
    assert.ok(vigie.pipeline, `the pipeline runs (${vigie.describe().join('; ')})`);
    const frames: FrameDetections[] = [];
    let pixelsSeen = 0;
    vigie.pipeline.onDetections((d, frame) => {
      if (frames.length === 0 || d.captureTime - frames[0]!.captureTime <= SECONDS * 1000) frames.push(d);
      if (frame && frame.data.length === frame.geometry.width * frame.geometry.height * 3) pixelsSeen++;
    });
    await until(() => frames.length > 0 && frames[frames.length - 1]!.captureTime - frames[0]!.captureTime >= SECONDS * 1000 - 250, `${SECONDS} s of analysed frames`, (SECONDS + 200) * 1000); // generous: a loaded machine starts slowly

    const stats = vigie.pipeline.stats().cameras[0]!;
    const withPerson = frames.filter((f) => f.detections.some((d) => d.label === 'person'));
    const ratio = withPerson.length / frames.length;
    const people = frames.flatMap((f) => f.detections.filter((d) => d.label === 'person'));
    const summary = `${frames.length} frames analysed, ${withPerson.length} with a person (${Math.round(ratio * 100)}%), ${people.length} person boxes; camera: ${JSON.stringify({ decoded: stats.ingest.decoded, skipped: stats.ingest.skippedByMotion, dropped: stats.dropped })}`;
    t.diagnostic(summary);
    assert.equal(frames[0]!.width, 768, 'boxes are normalised to the camera picture (768x576)');
    assert.equal(frames[0]!.height, 576);
    assert.ok(frames.length >= SECONDS * 5 * 0.5, `most sampled frames are analysed: ${summary}`);
    assert.ok(ratio >= 0.9, `persons in at least 90% of analysed frames: ${summary}`);
    assert.ok(pixelsSeen >= frames.length, 'each result comes with its frame (the pixels analysed)');

    // Plausible boxes: inside the picture, and shaped like a walking person seen from the elevated camera:
    // taller than wide, 5% to 60% of the picture height (about 30 to 350 pixels of 576).
    for (const p of people) {
      const { x1, y1, x2, y2 } = p.box;
      for (const v of [x1, y1, x2, y2]) assert.ok(v >= 0 && v <= 1, `box inside the picture: ${JSON.stringify(p.box)}`);
      assert.ok(x2 > x1 && y2 > y1, `non-empty box: ${JSON.stringify(p.box)}`);
    }
    const confident = people.filter((p) => p.score >= 0.5);
    const walkerShaped = confident.filter((p) => {
      const w = (p.box.x2 - p.box.x1) * 768;
      const h = (p.box.y2 - p.box.y1) * 576;
      return h >= 0.05 * 576 && h <= 0.6 * 576 && h > w;
    });
    const sizes = confident.map((p) => Math.round((p.box.y2 - p.box.y1) * 576)).sort((a, b) => a - b);
    t.diagnostic(`confident person heights (px): min ${sizes[0]}, median ${sizes[Math.floor(sizes.length / 2)]}, max ${sizes[sizes.length - 1]}`);
    assert.ok(confident.length > 0, 'confident person detections');
    assert.ok(walkerShaped.length >= 0.9 * confident.length, `at least 90% of confident person boxes are walker-shaped: ${walkerShaped.length}/${confident.length}, heights ${sizes.join(',')}`);
  });
});
