import { z } from 'zod';

export const inferenceSchema = z
  .strictObject({
    model: z.string().min(1).default('yolox-nano').describe('id of the detection model (a manifest models/<id>.json)'),
    workers: z.number().int().min(0).max(64).default(0).describe('inference worker threads in this process; 0 = one per CPU core'),
    threadsPerSession: z.number().int().min(1).max(64).default(1).describe('intra-op threads per onnxruntime session (1 is fastest per core on CPU)'),
    executionProviders: z
      .array(z.enum(['cuda', 'tensorrt', 'cpu']))
      .min(1)
      .default(['cpu'])
      .describe('onnxruntime execution providers in order of preference; a provider that cannot load falls back to the next, with a log line'),
    maxBatch: z.number().int().min(1).max(64).default(8).describe('frames batched into one run when the model has a dynamic batch axis'),
    scoreThreshold: z.number().min(0).max(1).optional().describe('minimum detection score; unset = the model manifest threshold, lowered to tracking.lowScore (the tracker extends tracks with those low-confidence boxes)'),
    nmsIou: z.number().min(0).max(1).optional().describe('IoU above which overlapping boxes of one class are merged; unset = the model manifest value'),
  })
  .describe('object detection');
