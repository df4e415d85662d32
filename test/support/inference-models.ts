import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// A few lines of protobuf encoding, enough to write a tiny ONNX model by hand (no Python onnx package needed).
function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const int = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
const bytes = (field: number, value: Uint8Array | number[] | string): number[] => {
  const data = typeof value === 'string' ? [...Buffer.from(value, 'utf8')] : [...value];
  return [...varint((field << 3) | 2), ...varint(data.length), ...data];
};

/** ValueInfoProto of a float tensor; a string dimension is symbolic (dynamic). */
function floatTensorInfo(name: string, dims: Array<number | string>): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : bytes(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...bytes(1, name), ...bytes(2, bytes(1, tensorType))];
}

/**
 * A tiny model with the Ultralytics output layout and a dynamic batch axis: input `images` float [N, 3, 4, 4],
 * output `output0` = the input reshaped to [N, 6, 8], i.e. 4 box channels + 2 class channels for 8 anchors.
 * With NCHW input, anchor a's cx is channel-0 pixel a, cy channel-0 pixel 8 + a, w channel-1 pixel a, h channel-1
 * pixel 8 + a, and its two class scores channel-2 pixels a and 8 + a: a frame's pixels decide its detections.
 */
export function tinyUltralyticsModel(): Uint8Array {
  const shapeValues = Buffer.alloc(24);
  [0, 6, 8].forEach((v, i) => shapeValues.writeBigInt64LE(BigInt(v), i * 8));
  const initializer = [...int(1, 3), ...int(2, 7 /* INT64 */), ...bytes(8, 'shape'), ...bytes(9, shapeValues)];
  const node = [...bytes(1, 'images'), ...bytes(1, 'shape'), ...bytes(2, 'output0'), ...bytes(3, 'reshape'), ...bytes(4, 'Reshape')];
  const graph = [
    ...bytes(1, node),
    ...bytes(2, 'tiny'),
    ...bytes(5, initializer),
    ...bytes(11, floatTensorInfo('images', ['N', 3, 4, 4])),
    ...bytes(12, floatTensorInfo('output0', ['N', 6, 8])),
  ];
  const opset = [...bytes(1, ''), ...int(2, 13)];
  return Uint8Array.from([...int(1, 8 /* IR version */), ...bytes(2, 'vigie-test'), ...bytes(7, graph), ...bytes(8, opset)]);
}

/** Manifest of the tiny model: scale 1/255 with std 1/4 on the box channels gives boxes of 0..4 pixels, scores 0..1. */
export function tinyUltralyticsManifest(file: string, model: Uint8Array, overrides: { inputName?: string; batch?: 'fixed' | 'dynamic'; classes?: string[] } = {}): Record<string, unknown> {
  return {
    id: 'tiny-ultralytics',
    kind: 'model',
    title: 'hand-written Ultralytics-layout test model',
    license: 'Apache-2.0',
    file,
    builds: [{ sha256: createHash('sha256').update(model).digest('hex'), size: model.length, origin: 'test' }],
    capabilities: ['object-detection'],
    input: {
      name: overrides.inputName ?? 'images',
      width: 4,
      height: 4,
      layout: 'NCHW',
      channelOrder: 'BGR',
      dtype: 'float32',
      scale: 1 / 255,
      mean: [0, 0, 0],
      std: [0.25, 0.25, 1],
      letterbox: { padValue: 114, align: 'top-left' },
      batch: overrides.batch ?? 'dynamic',
    },
    output: { name: 'output0', decoder: 'ultralytics' },
    thresholds: { score: 0.5, nmsIou: 0.45 },
    classes: overrides.classes ?? ['person', 'car'],
  };
}

/** Writes `<assetDir>/models/<file>` and `<manifestDir>/<id>.json`. */
export async function installModel(assetDir: string, manifestDir: string, file: string, model: Uint8Array, manifest: Record<string, unknown>): Promise<void> {
  await mkdir(join(assetDir, 'models'), { recursive: true });
  await mkdir(manifestDir, { recursive: true });
  await writeFile(join(assetDir, 'models', file), model);
  await writeFile(join(manifestDir, `${String(manifest.id)}.json`), JSON.stringify(manifest, null, 2));
}
