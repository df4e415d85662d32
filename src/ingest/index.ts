export { CameraIngest, type CameraIngestOptions, type IngestSource, type IngestStats, type IngestState } from './camera-ingest.js';
export { resolveIngestSettings, type IngestSettings, type CameraIngestOverrides } from './settings.js';
export { ingestFfmpegArgs, bareFfmpegArgs, ingestFilter, DEFAULT_PAD_VALUE, type IngestInput } from './ffmpeg-args.js';
export { MotionGate, MOTION_GRID, type MotionDecision } from './motion-gate.js';
export { parseVideoStreamLine } from './picture-size.js';
export { restartDelayMs } from './backoff.js';
export { measureBareFfmpeg, measureIngestCpu, type CpuMeasure, type CpuMeasureOptions, type IngestCpuMeasure } from './cpu-measure.js';
