/**
 * Latency of the ONVIF metadata track: from a frame's capture (when it left the decoder, the Frame contract's
 * captureTime) to its `tt:MetadataStream` document read by an RTSP client of Vigie. Baseline, measured in the same
 * run: the delay Vigie's video passthrough adds (the same camera frame read straight from the camera and through
 * Vigie's `/cameras/<id>`), i.e. how late the video the boxes are drawn on arrives anyway.
 *
 * Driven by a simulated camera (src/simulator). Driver `real` (default): Vigie's ingest (`CameraIngest`: decoding,
 * sampling, letterbox, motion gating, capture time) and detector (`openDetector`, YOLOX-Nano on the CPU); the
 * tracker and rules (analytics hub) are not in this branch, so each frame's detections become its tracks as they
 * are (no track ids across frames, no events). Driver `synthetic`: an ffmpeg decoder stands in for ingest and each
 * frame's AnalyticsFrame is synthesised at its capture time (two moving tracks, an event now and then): Vigie's
 * metadata path alone.
 *
 *   npm run bench:metadata -- [--driver real|synthetic] [--seconds 20] [--video FILE] [--json]
 *
 * Last line: one JSON object with metadata_latency_p50_ms / _p95_ms and the ratio against the baseline.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { DigestServer, staticCredentials } from '../src/auth/index.js';
import { configSchema } from '../src/config/index.js';
import type { Frame } from '../src/frames/index.js';
import { openDetector, type Detector } from '../src/inference/index.js';
import { CameraIngest, resolveIngestSettings } from '../src/ingest/index.js';
import { silentLogger } from '../src/logging/index.js';
import { createMetadataStreamer, type MetadataFrame } from '../src/metadata/index.js';
import type { AnalyticsEvent, TrackedObject } from '../src/sdk/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { SAMPLE_CLIP, SHARED_ASSETS, SIMULATOR_CACHE } from '../test/support/paths.js';
import { RawRtspClient, rtp, type InterleavedFrame } from '../test/support/rtsp-client.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const SECONDS = Number(option('seconds', '20'));
const VIDEO = option('video', SAMPLE_CLIP);
const JSON_OUT = args.includes('--json');
const DRIVER = option('driver', 'real');
const log = (line: string) => (JSON_OUT ? console.error(line) : console.log(line));

const VIEWER = { user: 'bench', password: 'bench-rtsp-pw' };
const DECODE = { width: 320, height: 240 };

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.href;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (v: number) => Math.round(v * 10) / 10;

function syntheticFrame(sequence: number, captureTime: number): MetadataFrame {
  const x = (sequence % 80) / 100;
  const track = (trackId: number, label: string, box: TrackedObject['box']): TrackedObject => ({ trackId, label, classId: 0, score: 0.8, box, velocity: { x: 0.1, y: 0 }, firstSeen: captureTime, lastSeen: captureTime, confirmed: true });
  const tracks = [track(1, 'person', { x1: x, y1: 0.2, x2: x + 0.1, y2: 0.6 }), track(2, 'car', { x1: 0.5, y1: 0.6, x2: 0.9, y2: 0.95 })];
  const events: AnalyticsEvent[] =
    sequence % 10 === 0
      ? [
          {
            id: `bench-${sequence}`,
            incidentId: 'bench',
            type: 'intrusion',
            state: sequence % 20 === 0 ? 'start' : 'end',
            sequence,
            cameraId: 'bench',
            cameraName: 'Bench',
            rule: { name: 'zone', type: 'intrusion' },
            frameTime: new Date(captureTime).toISOString(),
            emittedAt: new Date().toISOString(),
            message: 'bench',
            objects: [{ trackId: 1, label: 'person', score: 0.8, box: tracks[0]!.box }],
            counts: { inside: 1 },
            provenance: { model: { id: 'synthetic', sha256: '-' }, thresholds: {}, ruleConfigSha256: '-', software: 'bench' },
          },
        ]
      : [];
  return { cameraId: 'bench', sequence, captureTime, width: 768, height: 576, tracks, events };
}

/** The frames of one video track as a client received them: key = hash of the frame's last packet, time = its arrival. */
function videoFrames(frames: readonly InterleavedFrame[], channel: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of frames) {
    if (f.channel !== channel) continue;
    const p = rtp(f.data);
    if (!p.marker) continue;
    out.set(createHash('sha1').update(p.payload).digest('hex'), f.at);
  }
  return out;
}

async function playClient(port: number, url: string, tracks: number, credentials: { user: string; password: string }): Promise<RawRtspClient> {
  const c = await RawRtspClient.open(port);
  const d = await c.request('DESCRIBE', url, {}, credentials);
  if (d.status !== 200) throw new Error(`DESCRIBE ${url}: ${d.status}`);
  let session: string | undefined;
  for (let i = 0; i < tracks; i += 1) {
    const s = await c.request('SETUP', `${url}/trackID=${i}`, { Transport: `RTP/AVP/TCP;unicast;interleaved=${2 * i}-${2 * i + 1}`, ...(session ? { Session: session } : {}) });
    if (s.status !== 200) throw new Error(`SETUP ${url}: ${s.status}`);
    session = s.headers.get('session')![0]!.split(';')[0]!;
  }
  const play = await c.request('PLAY', `${url}/`, { Session: session! });
  if (play.status !== 200) throw new Error(`PLAY ${url}: ${play.status}`);
  return c;
}

async function main(): Promise<void> {
  const logger = silentLogger();
  log(`metadata latency bench: ${SECONDS} s, video ${VIDEO}`);
  const sim = await startSimulator({ video: VIDEO, cacheDir: SIMULATOR_CACHE, cameras: 1, httpPort: 0, rtspPort: 0, discovery: false, password: 'Camera-pw' });
  const cameraUrl = withCredentials(sim.cameras[0]!.rtsp.main, 'admin', 'Camera-pw');
  const streamer = createMetadataStreamer({
    host: '127.0.0.1',
    port: 0,
    logger,
    auth: new DigestServer({ realm: 'Vigie', credentials: staticCredentials([{ username: VIEWER.user, password: VIEWER.password }]) }),
  });
  await streamer.addCamera({ cameraId: 'bench', name: 'Bench', url: cameraUrl });
  const { port } = await streamer.start();
  const vigieUrl = `rtsp://127.0.0.1:${port}${streamer.rtspPath('bench')}`;

  let sequence = 0;
  let publishing = false;
  /** UtcTime of every analysed frame published (keep-alive documents, which repeat a scene, are not counted). */
  const publishedTimes = new Set<string>();
  const publish = (frame: MetadataFrame) => {
    publishedTimes.add(new Date(frame.captureTime).toISOString());
    streamer.publish(frame);
  };
  let dropped = 0;
  const detectMs: number[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  if (DRIVER === 'real') {
    // Vigie's ingest and detector; detections become the frame's tracks (the tracker is not in this branch).
    const config = configSchema.parse({ models: { assetDir: process.env.VIGIE_ASSET_DIR ?? SHARED_ASSETS }, inference: { workers: 1 } });
    const detector: Detector = await openDetector({ inference: config.inference, models: config.models, logger });
    let inFlight = 0;
    const ingest = new CameraIngest({
      source: { cameraId: 'bench', name: 'Bench', url: cameraUrl },
      settings: resolveIngestSettings(config.ingest),
      input: detector.model.input,
      logger,
      onFrame: (frame: Frame) => {
        sequence += 1;
        if (!publishing) return;
        if (inFlight >= 2) {
          dropped += 1; // the pipeline's queue would drop too: at most two frames in flight per camera
          return;
        }
        inFlight += 1;
        const copy: Frame = { ...frame, data: Buffer.from(frame.data) };
        const started = Date.now();
        detector
          .detect(copy)
          .then((d) => {
            detectMs.push(Date.now() - started);
            const tracks: TrackedObject[] = d.detections.map((x, i) => ({ trackId: i + 1, label: x.label, classId: x.classId, score: x.score, box: x.box, velocity: { x: 0, y: 0 }, firstSeen: d.captureTime, lastSeen: d.captureTime, confirmed: true }));
            publish({ cameraId: 'bench', sequence: d.sequence, captureTime: d.captureTime, width: d.width, height: d.height, tracks, events: [] });
          })
          .catch((error: unknown) => log(`detection failed: ${String(error)}`))
          .finally(() => {
            inFlight -= 1;
          });
      },
    });
    ingest.start();
    stops.push(async () => {
      await ingest.stop();
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
      await detector.close();
    });
  } else {
    // Ingest stand-in: decode the camera as ingest does; capture time = when a whole frame left the decoder.
    const frameBytes = DECODE.width * DECODE.height;
    const decoder = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-fflags', '+nobuffer', '-flags', 'low_delay', '-rtsp_transport', 'tcp', '-i', cameraUrl, '-an', '-vf', `scale=${DECODE.width}:${DECODE.height}`, '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let pending = 0;
    decoder.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.length;
      while (pending >= frameBytes) {
        pending -= frameBytes;
        sequence += 1;
        if (publishing) publish(syntheticFrame(sequence, Date.now()));
      }
    });
    stops.push(() => {
      decoder.kill('SIGTERM');
    });
  }

  // Clients: a VMS stand-in on Vigie (video + metadata) and a direct reader of the camera (for the baseline).
  const vms = await playClient(port, vigieUrl, 2, VIEWER);
  const direct = await playClient(sim.cameras[0]!.rtspPort, sim.cameras[0]!.rtsp.main, 1, { user: 'admin', password: 'Camera-pw' });
  // Let both pulls settle (ffmpeg start-up, first key frame), then measure.
  await vms.waitFrames(0, 20, 30_000);
  const startAt = Date.now();
  publishing = true;
  log('measuring...');
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  publishing = false;
  const endAt = Date.now();

  // Metadata: document read (its marker packet's arrival) minus the frame's capture time (its UtcTime).
  const latencies: number[] = [];
  let parts: Buffer[] = [];
  for (const f of vms.frames) {
    if (f.channel !== 2) continue;
    const p = rtp(f.data);
    parts.push(p.payload);
    if (!p.marker) continue;
    const xml = Buffer.concat(parts).toString('utf8');
    parts = [];
    const utc = /UtcTime="([^"]+)"/.exec(xml)?.[1];
    if (!utc || !publishedTimes.has(utc)) continue;
    const capture = Date.parse(utc);
    if (capture >= startAt && capture <= endAt) latencies.push(f.at - capture);
  }
  // Baseline: the same camera frame, read through Vigie's passthrough minus read straight from the camera.
  const viaVigie = videoFrames(vms.frames, 0);
  const straight = videoFrames(direct.frames, 0);
  const videoDelays: number[] = [];
  for (const [key, at] of viaVigie) {
    const d = straight.get(key);
    if (d !== undefined && d >= startAt && d <= endAt) videoDelays.push(at - d);
  }


  const result = {
    bench: 'metadata',
    driver:
      DRIVER === 'real'
        ? 'simulated camera (src/simulator, sample clip); Vigie ingest (CameraIngest, default settings) and detector (YOLOX-Nano, CPU, 1 worker); detections published as tracks (tracker and rules not in this branch)'
        : 'simulated camera (src/simulator, sample clip); ffmpeg decoder as ingest stand-in; AnalyticsFrames synthesised at each decoded frame capture time',
    seconds: SECONDS,
    documents: latencies.length,
    frames_analysed: sequence,
    frames_dropped_busy_detector: dropped,
    detect_p50_ms: detectMs.length ? round(percentile(detectMs, 50)) : null,
    metadata_latency_p50_ms: round(percentile(latencies, 50)),
    metadata_latency_p95_ms: round(percentile(latencies, 95)),
    metadata_latency_max_ms: round(Math.max(...latencies)),
    goal_p95_ms: 300,
    goal_met: percentile(latencies, 95) <= 300,
    baseline: 'video passthrough delay: same camera frame read through Vigie minus read straight from the camera (RTSP/TCP)',
    video_frames_matched: videoDelays.length,
    video_passthrough_latency_p50_ms: round(percentile(videoDelays, 50)),
    video_passthrough_latency_p95_ms: round(percentile(videoDelays, 95)),
    ratio_metadata_p95_to_video_passthrough_p95: Math.round((percentile(latencies, 95) / percentile(videoDelays, 95)) * 1000) / 1000,
    load_average_1m: round(loadavg()[0]!),
  };
  log(
    `metadata: ${result.documents} documents, p50 ${result.metadata_latency_p50_ms} ms, p95 ${result.metadata_latency_p95_ms} ms; ` +
      `video passthrough: ${result.video_frames_matched} frames, p50 ${result.video_passthrough_latency_p50_ms} ms, p95 ${result.video_passthrough_latency_p95_ms} ms`,
  );
  console.log(JSON.stringify(result));
  vms.close();
  direct.close();
  for (const stop of stops) await stop();
  await streamer.stop();
  await sim.stop();
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
