/**
 * CPU cost of simulated cameras: N cameras (default 16) in one `vigie simulate` process, measured on the whole
 * process tree (the Node process and every ffmpeg child, from /proc), idle and with one RTSP/TCP client pulling
 * each camera's main stream. Baseline, measured in the same run: one bare `ffmpeg -re -c copy` reader of the same
 * file, the unit of work each camera's main stream costs at least. The same cameras are then measured streaming the
 * file from disk (`--preload-max-mb 0`, one ffmpeg reader per camera stream) for comparison with the default, the
 * video played from memory.
 *
 *   npm run bench:simulator -- [--cameras 16] [--seconds 20] [--video FILE] [--json]
 *
 * Last line: one JSON object with the figures and ratioPerCameraToBareReader.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { RawRtspClient } from '../test/support/rtsp-client.js';
import { REPO_ROOT, SAMPLE_CLIP } from '../test/support/paths.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const CAMERAS = Number(option('cameras', '16'));
const SECONDS = Number(option('seconds', '20'));
const VIDEO = option('video', SAMPLE_CLIP);
const JSON_OUT = args.includes('--json');
const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || '100');

const log = (line: string) => {
  if (!JSON_OUT) console.log(line);
  else console.error(line);
};

/** CPU seconds used so far by a process and its descendants (those alive now), from /proc. */
function treeCpuSeconds(root: number): { total: number; node: number; ffmpeg: number; processes: number } {
  const stats = new Map<number, { ppid: number; ticks: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), comm });
    } catch (_error) {
      continue; // the process ended while we read /proc
    }
  }
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!tree.has(pid) && tree.has(s.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let node = 0;
  let ffmpeg = 0;
  for (const pid of tree) {
    const s = stats.get(pid);
    if (!s) continue;
    if (pid === root) node += s.ticks;
    else ffmpeg += s.ticks;
  }
  return { total: (node + ffmpeg) / TICKS, node: node / TICKS, ffmpeg: ffmpeg / TICKS, processes: tree.size };
}

async function measure(pid: number, seconds: number) {
  const a = treeCpuSeconds(pid);
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = treeCpuSeconds(pid);
  const wall = (performance.now() - started) / 1000;
  const pct = (x: number) => Math.round((x / wall) * 1000) / 10;
  return { totalPercent: pct(b.total - a.total), nodePercent: pct(b.node - a.node), ffmpegPercent: pct(b.ffmpeg - a.ffmpeg), processes: b.processes };
}

async function bareReader(): Promise<number> {
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', VIDEO, '-map', '0:v:0', '-c', 'copy', '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', '-flush_packets', '1', 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.resume();
  await new Promise((r) => setTimeout(r, 2000));
  const m = await measure(child.pid!, SECONDS);
  child.kill('SIGKILL');
  return m.totalPercent;
}

function startSimulator(extra: readonly string[] = []): Promise<{ child: ChildProcess; cameras: Array<{ rtspPort: number; rtsp: { main: string } }> }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'vigie.js'), 'simulate', '--cameras', String(CAMERAS), '--video', VIDEO, '--http-port', '0', '--rtsp-port', '0', '--no-discovery', '--json', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const lines = out.split('\n').filter((l) => l.startsWith('{"index"'));
      if (lines.length === CAMERAS) resolve({ child, cameras: lines.map((l) => JSON.parse(l) as { rtspPort: number; rtsp: { main: string } }) });
    });
    child.on('exit', (code) => reject(new Error(`vigie simulate exited (${code})`)));
  });
}

async function play(camera: { rtspPort: number; rtsp: { main: string } }): Promise<RawRtspClient> {
  const c = await RawRtspClient.open(camera.rtspPort);
  c.keepFrames = false;
  const url = camera.rtsp.main;
  await c.request('DESCRIBE', url, {}, { user: 'admin', password: 'admin' });
  const setup = await c.request('SETUP', `${url}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
  await c.request('PLAY', `${url}/`, { Session: setup.headers.get('session')![0]!.split(';')[0]! });
  return c;
}

log(`simulator benchmark: ${CAMERAS} cameras, ${SECONDS} s windows, ${VIDEO}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);
const bare = await bareReader();
log(`baseline: one bare ffmpeg -re -c copy reader: ${bare}% of one core`);

/** One simulator process: idle, then one RTSP/TCP client on every camera's main stream. */
async function streamingRun(label: string, extra: readonly string[]) {
  const sim = await startSimulator(extra);
  const pid = sim.child.pid!;
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await measure(pid, Math.min(SECONDS, 10));
  log(`${label}: idle, ${CAMERAS} cameras, no client: ${idle.totalPercent}% of one core in total (${idle.processes} processes)`);
  const clients = await Promise.all(sim.cameras.map(play));
  await new Promise((r) => setTimeout(r, 4000));
  const bytesBefore = clients.reduce((s, c) => s + c.byteCount, 0);
  const streaming = await measure(pid, SECONDS);
  const bytes = clients.reduce((s, c) => s + c.byteCount, 0) - bytesBefore;
  const perCamera = Math.round((streaming.totalPercent / CAMERAS) * 100) / 100;
  const mbits = Math.round((bytes * 8) / SECONDS / 1e5) / 10;
  log(
    `${label}: ${CAMERAS} clients on the main streams: ${streaming.totalPercent}% in total (node ${streaming.nodePercent}%, ffmpeg ${streaming.ffmpegPercent}%, ${streaming.processes} processes), ` +
      `${perCamera}% per camera, ${mbits} Mbit/s delivered`,
  );
  for (const c of clients) c.close();
  sim.child.kill('SIGTERM');
  await new Promise((r) => sim.child.once('exit', r));
  return { idle, streaming, perCamera, mbits };
}

// The default: the video read once into memory and played by every camera. Then, for comparison, the same cameras
// streaming it from disk (`--preload-max-mb 0`: one ffmpeg reader per camera stream, as before the clip player).
const inMemory = await streamingRun('in memory', []);
const fromDisk = await streamingRun('from disk', ['--preload-max-mb', '0']);
const { idle, streaming, perCamera } = inMemory;

const result = {
  benchmark: 'simulator',
  date: new Date().toISOString(),
  cpus: cpus().length,
  cameras: CAMERAS,
  windowSeconds: SECONDS,
  video: VIDEO,
  baselineBareReaderPercent: bare,
  idleTotalPercent: idle.totalPercent,
  streamingTotalPercent: streaming.totalPercent,
  streamingNodePercent: streaming.nodePercent,
  streamingFfmpegPercent: streaming.ffmpegPercent,
  perCameraPercent: perCamera,
  deliveredMbitPerSecond: inMemory.mbits,
  fromDiskStreamingTotalPercent: fromDisk.streaming.totalPercent,
  fromDiskStreamingFfmpegPercent: fromDisk.streaming.ffmpegPercent,
  fromDiskPerCameraPercent: fromDisk.perCamera,
  ratioInMemoryVsFromDisk: fromDisk.streaming.totalPercent > 0 ? Math.round((streaming.totalPercent / fromDisk.streaming.totalPercent) * 100) / 100 : null,
  ratioPerCameraToBareReader: bare > 0 ? Math.round((perCamera / bare) * 100) / 100 : null,
  targetPerCameraPercent: 3,
  withinTarget: perCamera < 3,
};
console.log(JSON.stringify(result));
