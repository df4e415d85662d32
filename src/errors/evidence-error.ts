import { VigieError } from './vigie-error.js';

/** An evidence snapshot could not be made (ffmpeg failed to encode it); the event itself still goes out. */
export class EvidenceError extends VigieError {
  readonly code = 'EVIDENCE_FAILED';

  constructor(detail: string, options: { cause?: unknown } = {}) {
    super(`evidence snapshot not stored: ${detail}`, {
      cause: options.cause,
      hint: 'check that ffmpeg is installed with its mjpeg encoder (`ffmpeg -encoders | grep mjpeg`), or set rules.evidence.snapshot to false',
    });
  }
}
