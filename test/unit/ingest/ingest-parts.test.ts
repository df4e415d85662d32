import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../../../src/config/index.js';
import { StreamAuthError, StreamFailedError, ToolMissingError } from '../../../src/errors/index.js';
import { ingestFfmpegArgs, parseVideoStreamLine, resolveIngestSettings, restartDelayMs } from '../../../src/ingest/index.js';
import { classifyFfmpegExit } from '../../../src/ingest/failure.js';
import { FrameRing } from '../../../src/ingest/frame-ring.js';
import { PictureSizeReader } from '../../../src/ingest/picture-size.js';

const global = configSchema.parse({}).ingest;

describe('resolveIngestSettings', () => {
  it('applies the camera overrides field by field and keeps the rest of the global section', () => {
    const s = resolveIngestSettings(global, { sampleFps: 2, motion: { forceIntervalSeconds: 5 } });
    assert.equal(s.sampleFps, 2);
    assert.equal(s.hwaccel, global.hwaccel);
    assert.deepEqual(s.motion, { ...global.motion, forceIntervalSeconds: 5 });
    assert.deepEqual(resolveIngestSettings(global), global);
    assert.deepEqual(resolveIngestSettings(global, { hwaccel: undefined }), global);
  });
});

describe('ingest ffmpeg arguments', () => {
  it('pull RTSP over TCP with a socket timeout, sample (never repeating a frame), letterbox with the pad grey and write raw frames', () => {
    const args = ingestFfmpegArgs('rtsp://u:p@cam/sub', resolveIngestSettings(global, { sampleFps: 3, hwaccel: 'cuda' }), { width: 416, height: 416, pixelFormat: 'rgb24' });
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    assert.equal(at('-rtsp_transport'), 'tcp');
    assert.equal(at('-timeout'), String(global.watchdog.stallSeconds * 2_000_000), 'twice the watchdog stall time, in microseconds');
    assert.equal(at('-hwaccel'), 'cuda');
    assert.equal(at('-threads'), '1', 'one decoder thread');
    assert.equal(at('-filter_threads'), '1', 'one filter thread');
    assert.equal(at('-i'), 'rtsp://u:p@cam/sub');
    assert.match(at('-vf')!, /^select='not\(eq\(floor\(t\*3\+0\.001\),floor\(prev_selected_t\*3\+0\.001\)\)\)',scale=.*,format=yuv420p,pad=416:416:0:0:color=0x727272,format=rgb24$/);
    assert.deepEqual(args.slice(-3), ['-f', 'rawvideo', 'pipe:1']);
    assert.ok(!ingestFfmpegArgs('/tmp/clip.mp4', global, { width: 416, height: 416, pixelFormat: 'bgr24' }).includes('-rtsp_transport'), 'no RTSP options for files');
  });
});

describe('picture size from ffmpeg stderr', () => {
  it('reads the input video stream line and not the output one', () => {
    assert.deepEqual(parseVideoStreamLine('  Stream #0:0: Video: h264 (Main), yuv420p(progressive), 768x576, 10 fps, 10 tbr, 90k tbn'), { width: 768, height: 576 });
    assert.deepEqual(parseVideoStreamLine('  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 25 fps'), { width: 1920, height: 1080 });
    assert.equal(parseVideoStreamLine('  Stream #0:1: Audio: aac, 48000 Hz'), undefined);
    const reader = new PictureSizeReader();
    assert.equal(reader.push("Output #0, rawvideo, to 'pipe:1':\n  Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24, 416x416\n"), undefined);
    const r2 = new PictureSizeReader();
    assert.equal(r2.push("Input #0, rtsp, from 'rtsp://***@cam/sub':\n  Stream #0:0: Video: h264 (Main), yuv420p(progr"), undefined, 'a partial line waits for its end');
    assert.deepEqual(r2.push('essive), 640x360, 5 fps\nOutput #0, rawvideo\n  Stream #0:0: Video: rawvideo, bgr24, 416x416\n'), { width: 640, height: 360 });
    assert.deepEqual(r2.size, { width: 640, height: 360 });
  });
});

describe('FrameRing', () => {
  it('cuts a byte stream into frames whatever the chunk sizes, reusing its preallocated buffers', () => {
    const ring = new FrameRing(10, 3);
    const seen: Array<{ buffer: Buffer; bytes: number[] }> = [];
    const stream = Buffer.from(Array.from({ length: 47 }, (_, i) => i));
    for (const [a, b] of [[0, 3], [3, 25], [25, 26], [26, 47]] as const) ring.push(stream.subarray(a, b), (f) => seen.push({ buffer: f, bytes: [...f] }));
    assert.equal(seen.length, 4);
    assert.deepEqual(seen.map((s) => s.bytes[0]), [0, 10, 20, 30]);
    assert.deepEqual(seen[3]!.bytes, [30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    assert.equal(seen[3]!.buffer, seen[0]!.buffer, 'the fourth frame reuses the first buffer of a ring of three');
    assert.notEqual(seen[1]!.buffer, seen[0]!.buffer);
    ring.reset();
    ring.push(Buffer.alloc(10, 7), (f) => seen.push({ buffer: f, bytes: [...f] }));
    assert.deepEqual(seen[4]!.bytes, Array(10).fill(7), 'a reset drops the partial frame');
  });
});

describe('FrameRing handing frames over', () => {
  it('a taken frame keeps its bytes: the ring refills that slot from the consumer pool and never writes the taken buffer again', () => {
    const pool: Buffer[] = [];
    const ring = new FrameRing(4, 2, (bytes) => {
      const b = Buffer.alloc(bytes);
      pool.push(b);
      return b;
    });
    assert.equal(pool.length, 2, 'the ring fills its slots from the source it was given');
    let taken: Buffer | undefined;
    const frames: Buffer[] = [];
    const stream = Buffer.from(Array.from({ length: 24 }, (_, i) => i));
    ring.push(stream, (frame, take) => {
      frames.push(frame);
      if (frames.length === 1) taken = take();
    });
    assert.equal(frames.length, 6);
    assert.equal(taken, frames[0], 'take returns the very buffer handed over, no copy');
    assert.deepEqual([...taken!], [0, 1, 2, 3], 'five more frames through a ring of two left it untouched');
    assert.equal(pool.length, 3, 'one new buffer from the pool, for the taken slot');
    assert.notEqual(frames[2], taken, 'the slot now holds the new buffer');
    assert.equal(frames[2], pool[2]);
    assert.equal(frames[4], frames[2]);
  });
});

describe('restart backoff', () => {
  it('doubles from the initial delay up to the maximum, with jitter of ±25 % never above the maximum', () => {
    const mid = () => 0.5;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelayMs(n, 1, 60, mid)), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    assert.equal(restartDelayMs(1, 1, 60, () => 0), 750);
    assert.equal(restartDelayMs(1, 1, 60, () => 0.999999), 1250);
    assert.equal(restartDelayMs(20, 1, 60, () => 0.999999), 60000);
  });
});

describe('ffmpeg exit classification', () => {
  const classify = (lines: string[], exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } = { code: 1, signal: null }) =>
    classifyFfmpegExit('cam-1', 'rtsp://***@cam/sub', exit, lines);
  it('names refused credentials, unreachable cameras, missing streams, ended sessions and a missing ffmpeg', () => {
    const auth = classify(['[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized', 'rtsp://***@cam/sub: Server returned 401 Unauthorized (authorization failed)']);
    assert.ok(auth instanceof StreamAuthError);
    assert.equal(auth.code, 'STREAM_UNAUTHORIZED');
    assert.match(auth.message, /camera cam-1: the RTSP stream rtsp:\/\/\*\*\*@cam\/sub refused the credentials/);
    const refused = classify(['rtsp://***@127.0.0.1:9/x: Connection refused']);
    assert.ok(refused instanceof StreamFailedError && refused.reason === 'refused');
    assert.equal((classify(['method DESCRIBE failed: 404 Not Found']) as StreamFailedError).reason, 'not-found');
    assert.equal((classify(['rtsp://***@10.0.0.9/x: Connection timed out']) as StreamFailedError).reason, 'timeout');
    assert.equal((classify(['frame=  10'], { code: 0, signal: null }) as StreamFailedError).reason, 'ended');
    const missing = new ToolMissingError('ffmpeg');
    assert.equal(classify([], { code: null, signal: null, error: missing }), missing);
    assert.match(classify(['something odd'], { code: 8, signal: null }).message, /ffmpeg exited with 8: something odd/);
  });
});
