import { InferenceSession } from 'onnxruntime-node';
import { yoloxGrid } from './decode-yolox.js';
import type { ModelSpec } from './model.js';
import type { ProviderFallback, ProviderName } from './protocol.js';

export interface OpenedSession {
  session: InferenceSession;
  provider: ProviderName;
  fallbacks: ProviderFallback[];
}

/** Why a session could not be opened: every provider failed (`provider`), or the model itself is unusable (`model`). */
export class SessionOpenError extends Error {
  constructor(
    readonly kind: 'model' | 'provider',
    message: string,
    readonly fallbacks: ProviderFallback[],
  ) {
    super(message);
  }
}

/**
 * Opens an onnxruntime session on the first provider of `providers` that loads, each tried on its own (onnxruntime
 * refuses the whole list when one provider library is missing, it does not skip it). Every provider skipped is
 * reported in `fallbacks` so the caller can log it. Throws SessionOpenError.
 */
export async function openSession(model: Uint8Array, providers: readonly ProviderName[], threads: number): Promise<OpenedSession> {
  const fallbacks: ProviderFallback[] = [];
  for (const provider of providers) {
    try {
      const session = await InferenceSession.create(model, {
        executionProviders: [provider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      return { session, provider, fallbacks };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (provider === 'cpu') throw new SessionOpenError('model', reason, fallbacks);
      fallbacks.push({ provider, reason });
    }
  }
  throw new SessionOpenError('provider', fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; '), fallbacks);
}

/**
 * Checks the session against the manifest; returns whether frames may be batched: the manifest says `dynamic` and
 * the model's batch axis is symbolic. Throws with the mismatch.
 */
export function checkSession(session: InferenceSession, spec: Pick<ModelSpec, 'input' | 'output' | 'classes'>): { dynamicBatch: boolean } {
  if (!session.inputNames.includes(spec.input.name)) {
    throw new SessionOpenError('model', `the manifest's input "${spec.input.name}" is not in the model (inputs: ${session.inputNames.join(', ')})`, []);
  }
  if (!session.outputNames.includes(spec.output.name)) {
    throw new SessionOpenError('model', `the manifest's output "${spec.output.name}" is not in the model (outputs: ${session.outputNames.join(', ')})`, []);
  }
  const problem = outputProblem(session, spec);
  if (problem) throw new SessionOpenError('model', problem, []);
  const meta = session.inputMetadata.find((m) => m.name === spec.input.name);
  const shape = meta && meta.isTensor ? meta.shape : undefined;
  if (!shape || shape.length !== 4) return { dynamicBatch: false };
  const [h, w] = spec.input.layout === 'NCHW' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  if ((typeof h === 'number' && h > 0 && h !== spec.input.height) || (typeof w === 'number' && w > 0 && w !== spec.input.width)) {
    throw new SessionOpenError('model', `the model's input is ${String(w)}x${String(h)}, the manifest says ${spec.input.width}x${spec.input.height}`, []);
  }
  const batch = shape[0];
  return { dynamicBatch: spec.input.batch === 'dynamic' && (typeof batch !== 'number' || batch < 1) };
}

/** What in the output's static shape contradicts the manifest's decoder and class list, if anything. */
function outputProblem(session: InferenceSession, spec: Pick<ModelSpec, 'input' | 'output' | 'classes'>): string | undefined {
  const meta = session.outputMetadata.find((m) => m.name === spec.output.name);
  const shape = meta && meta.isTensor ? meta.shape : undefined;
  if (!shape || shape.length === 0) return undefined; // unknown until the first run; the decoder checks it then
  const classes = spec.classes.length;
  const known = (v: number | string | undefined): v is number => typeof v === 'number' && v > 0;
  if (shape.length !== 3) return `output "${spec.output.name}" has shape [${shape.join(', ')}], the ${spec.output.decoder} decoder needs 3 dimensions`;
  if (spec.output.decoder === 'yolox') {
    const rows = yoloxGrid({ width: spec.input.width, height: spec.input.height, strides: spec.output.strides ?? [8, 16, 32] }).gx.length;
    if (known(shape[1]) && shape[1] !== rows) return `output "${spec.output.name}" has ${shape[1]} rows, the manifest's strides give ${rows} for a ${spec.input.width}x${spec.input.height} input`;
    if (known(shape[2]) && shape[2] !== 5 + classes) return `output "${spec.output.name}" has ${shape[2] - 5} class scores per row, the manifest lists ${classes} classes`;
  } else if (known(shape[1]) && shape[1] !== 4 + classes) {
    return `output "${spec.output.name}" has ${shape[1] - 4} class channels, the manifest lists ${classes} classes`;
  }
  return undefined;
}
