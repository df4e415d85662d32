import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { letterbox } from '../../../src/frames/index.js';
import { createPostprocessor, createPreprocessor, decodeUltralytics, decodeYolox, nmsPerClass, yoloxGrid, type Candidate } from '../../../src/inference/index.js';

const near = (actual: readonly number[], expected: readonly number[]) =>
  assert.ok(actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]!) < 1e-5), `${actual.join(', ')} ≈ ${expected.join(', ')}`);
const box = (x1: number, y1: number, x2: number, y2: number, score: number, classId: number): Candidate => ({ x1, y1, x2, y2, score, classId });

/** A synthetic Ultralytics output `[batch, 4 + classes, anchors]` with the given anchors (cx, cy, w, h, scores...). */
function ultralyticsTensor(batch: number[][][], classes: number): { data: Float32Array; dims: number[] } {
  const anchors = batch[0]!.length;
  const channels = 4 + classes;
  const data = new Float32Array(batch.length * channels * anchors);
  batch.forEach((image, b) =>
    image.forEach((anchor, a) => anchor.forEach((v, c) => (data[b * channels * anchors + c * anchors + a] = v))),
  );
  return { data, dims: [batch.length, channels, anchors] };
}

describe('inference: NMS, decoders, pre-processing', () => {
  it('NMS is class-wise: overlapping boxes of one class merge, a box of another class survives', () => {
    const kept = nmsPerClass(
      [
        box(10, 10, 110, 210, 0.6, 0), // person, overlaps the better one (IoU ≈ 0.82)
        box(12, 14, 112, 214, 0.9, 0), // person, best
        box(300, 10, 400, 210, 0.5, 0), // another person, far away
        box(12, 14, 112, 214, 0.7, 24), // backpack at the very same place: another class
        box(11, 12, 111, 212, 0.4, 24), // backpack duplicate
      ],
      0.45,
    );
    assert.deepEqual(
      kept.map((k) => [k.classId, k.score]),
      [
        [0, 0.9],
        [24, 0.7],
        [0, 0.5],
      ],
    );
    assert.equal(nmsPerClass([box(0, 0, 10, 10, 0.9, 1), box(0, 0, 10, 10, 0.8, 1)], 1).length, 2, 'IoU threshold 1 keeps identical boxes');
    assert.equal(nmsPerClass([box(0, 0, 10, 10, 0.9, 1), box(20, 0, 30, 10, 0.8, 1), box(40, 0, 50, 10, 0.7, 1)], 0.45, 2).length, 2, 'limit');
  });

  it('decodes the Ultralytics YOLOv8/11 layout [1, 4+C, N]: best class per anchor, threshold, pixels', () => {
    const { data, dims } = ultralyticsTensor(
      [
        [
          [100, 200, 40, 80, 0.1, 0.85, 0.2], // class 1 wins
          [300, 100, 20, 20, 0.2, 0.1, 0.25], // below threshold 0.3
          [50, 60, 10, 30, 0.95, 0.0, 0.0], // class 0
        ],
      ],
      3,
    );
    const decoded = decodeUltralytics(data, dims, 0, 0.3);
    assert.deepEqual(decoded, [
      { x1: 80, y1: 160, x2: 120, y2: 240, score: data[5 * 3 + 0]!, classId: 1 },
      { x1: 45, y1: 45, x2: 55, y2: 75, score: data[4 * 3 + 2]!, classId: 0 },
    ]);
  });

  it('the Ultralytics post-processor reads the right image of a batch and returns picture-normalised boxes', () => {
    // A 640x480 picture letterboxed into 320x320: scale 0.5, 320x240 at the top-left.
    const geometry = letterbox({ width: 640, height: 480 }, { width: 320, height: 320 });
    const { data, dims } = ultralyticsTensor(
      [
        [[160, 120, 320, 240, 0.9, 0.1]], // image 0: the whole picture, class 0
        [[80, 60, 40, 40, 0.0, 0.8]], // image 1: a 40 px box centred at (80, 60), class 1
      ],
      2,
    );
    const post = createPostprocessor({
      input: { name: 'images', width: 320, height: 320, layout: 'NCHW', channelOrder: 'RGB', dtype: 'float32', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], letterbox: { padValue: 114, align: 'top-left' }, batch: 'dynamic' },
      output: { name: 'output0', decoder: 'ultralytics' },
      classes: ['person', 'car'],
      scoreThreshold: 0.5,
      nmsIou: 0.45,
    });
    const first = post(data, dims, 0, geometry);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.label, 'person');
    assert.deepEqual(first[0]!.box, { x1: 0, y1: 0, x2: 1, y2: 1 });
    const second = post(data, dims, 1, geometry);
    assert.equal(second[0]!.label, 'car');
    assert.equal(second[0]!.classId, 1);
    const b = second[0]!.box;
    // (60..100, 40..80) frame pixels → /0.5 → (120..200, 80..160) picture pixels → /640, /480.
    near([b.x1, b.y1, b.x2, b.y2], [120 / 640, 80 / 480, 200 / 640, 160 / 480]);
  });

  it('decodes YOLOX raw grid outputs: grid offset, stride, exp size, objectness x class score', () => {
    const grid = yoloxGrid({ width: 64, height: 32, strides: [8, 16, 32] });
    assert.equal(grid.gx.length, 8 * 4 + 4 * 2 + 2 * 1);
    const classes = 2;
    const width = 5 + classes;
    const data = new Float32Array(grid.gx.length * width);
    // Row 9 of stride 8 is cell (1, 1); row 32 + 5 is stride 16, cell (1, 1).
    data.set([0.5, 0.5, Math.log(2), Math.log(4), 0.9, 0.2, 0.8], 9 * width);
    data.set([0.5, 0.5, 0, 0, 0.5, 0.9, 0.1], (32 + 5) * width);
    data.set([0.5, 0.5, 0, 0, 0.2, 1, 1], 0); // objectness too low
    const decoded = decodeYolox(data, [1, grid.gx.length, width], 0, grid, 0.3);
    assert.equal(decoded.length, 2);
    const [a, b] = decoded as [Candidate, Candidate];
    // cx = (0.5 + 1) * 8 = 12, w = 2 * 8 = 16, h = 4 * 8 = 32.
    near([a.x1, a.y1, a.x2, a.y2, a.classId, a.score], [4, -4, 20, 28, 1, 0.72]);
    // cx = (0.5 + 1) * 16 = 24, w = h = 16.
    near([b.x1, b.y1, b.x2, b.y2, b.classId, b.score], [16, 16, 32, 32, 0, 0.45]);
    assert.throws(() => decodeYolox(data, [1, 10, width], 0, grid, 0.3), /does not match the manifest's strides/);
  });

  it('pre-processing: packed pixels to the model layout, channel order and normalisation', () => {
    // Two pixels, 2x1: bgr24 (B, G, R) = (10, 20, 30), (40, 50, 60).
    const pixels = new Uint8Array([10, 20, 30, 40, 50, 60]);
    const base = { width: 2, height: 1, dtype: 'float32' as const, scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };
    const out = new Float32Array(6);
    createPreprocessor({ ...base, layout: 'NCHW', channelOrder: 'BGR' }).convert(pixels, 'bgr24', out, 0);
    assert.deepEqual([...out], [10, 40, 20, 50, 30, 60], 'NCHW, BGR model fed bgr24: planes B, G, R');
    createPreprocessor({ ...base, layout: 'NCHW', channelOrder: 'RGB' }).convert(pixels, 'bgr24', out, 0);
    assert.deepEqual([...out], [30, 60, 20, 50, 10, 40], 'RGB model fed bgr24: channels swapped');
    createPreprocessor({ ...base, layout: 'NCHW', channelOrder: 'RGB' }).convert(pixels, 'rgb24', out, 0);
    assert.deepEqual([...out], [10, 40, 20, 50, 30, 60], 'RGB model fed rgb24');
    createPreprocessor({ ...base, layout: 'NHWC', channelOrder: 'RGB' }).convert(pixels, 'bgr24', out, 0);
    assert.deepEqual([...out], [30, 20, 10, 60, 50, 40], 'NHWC keeps pixels packed');
    const normalised = new Float32Array(12);
    createPreprocessor({ ...base, layout: 'NCHW', channelOrder: 'BGR', scale: 1 / 10, mean: [1, 2, 3], std: [1, 2, 4] }).convert(pixels, 'bgr24', normalised, 6);
    const expected = [(1 - 1) / 1, (4 - 1) / 1, (2 - 2) / 2, (5 - 2) / 2, (3 - 3) / 4, (6 - 3) / 4];
    near([...normalised.slice(6)], expected);
    assert.deepEqual([...normalised.slice(0, 6)], [0, 0, 0, 0, 0, 0], 'written at the offset only');
    assert.throws(() => createPreprocessor({ ...base, layout: 'NCHW', channelOrder: 'BGR' }).convert(new Uint8Array(5), 'bgr24', out, 0), /frame has 5 bytes/);
  });

  it('pre-processing of a frame four pixels at a time (aligned, as the pipeline hands frames) equals the pixel-by-pixel definition', () => {
    const width = 8;
    const height = 6;
    const pixels = new Uint8Array(new SharedArrayBuffer(width * height * 3));
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + 11) & 255;
    const plane = width * height;
    const cases = [
      { channelOrder: 'BGR' as const, scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] },
      { channelOrder: 'RGB' as const, scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] },
      { channelOrder: 'RGB' as const, scale: 1 / 255, mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] },
    ];
    for (const c of cases) {
      for (const format of ['bgr24', 'rgb24'] as const) {
        const out = new Float32Array(plane * 3);
        createPreprocessor({ width, height, dtype: 'float32', layout: 'NCHW', ...c }).convert(pixels, format, out, 0);
        const expected: number[] = [];
        for (let ch = 0; ch < 3; ch++) {
          // Model channel ch is byte k of a pixel: the same letter in the frame's order.
          const k = (format === 'bgr24' ? 'BGR' : 'RGB').indexOf(c.channelOrder[ch]!);
          for (let p = 0; p < plane; p++) expected.push((pixels[p * 3 + k]! * c.scale - c.mean[ch]!) / c.std[ch]!);
        }
        near([...out], expected);
      }
    }
  });
});
