export { startPipeline, type Pipeline, type PipelineOptions, type PipelineStats, type CameraPipelineStats, type DetectionListener } from './pipeline.js';
export { startInferenceWorker, type InferenceWorker, type InferenceWorkerOptions, type InferenceWorkerStats } from './inference-worker.js';
export { startLiveSummary, objectsPerClass } from './live-summary.js';
export type { DropReason } from './camera-flow.js';
export type { CameraIngestLike, CameraIngestOverrides, FrameDetector, IngestFactory, IngestStatsLike, ModelInputFormat, PipelineSource } from './stages.js';
