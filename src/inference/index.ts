export { openDetector, type Detector, type DetectorModel, type DetectorOptions } from './detector.js';
export { resolveModel, type InferenceConfig, type ModelsConfig, type ModelSpec, type ResolvedModel } from './model.js';
export { measureBareOrt, type BareOrtOptions, type BareOrtResult } from './bare-ort.js';
export { createPreprocessor, type Preprocessor } from './preprocess.js';
export { decodeYolox, yoloxGrid } from './decode-yolox.js';
export { decodeUltralytics } from './decode-ultralytics.js';
export { nmsPerClass, iou, type Candidate } from './nms.js';
export { createPostprocessor, MAX_DETECTIONS } from './postprocess.js';
export type { ProviderName } from './protocol.js';
