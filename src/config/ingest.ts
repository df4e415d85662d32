import { z } from 'zod';

export const motionSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('skip inference on frames without motion (a cheap frame difference on a small grey copy)'),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.002)
      .describe('fraction of the frame (0..1) that must change for a frame to count as motion'),
    pixelDelta: z
      .number()
      .int()
      .min(1)
      .max(255)
      .default(25)
      .describe('grey-level difference (0..255) above which a pixel counts as changed'),
    forceIntervalSeconds: z
      .number()
      .positive()
      .default(2)
      .describe('a frame goes to inference at least this often even without motion, so stationary objects are still seen'),
  })
  .describe('motion gating in front of inference');

export const watchdogSchema = z
  .strictObject({
    stallSeconds: z.number().positive().default(10).describe('restart ffmpeg when no frame arrived for this long'),
    backoffInitialSeconds: z.number().positive().default(1).describe('first wait before a restart; doubles after each failure'),
    backoffMaxSeconds: z.number().positive().default(60).describe('longest wait between restarts'),
  })
  .describe('per-camera ffmpeg watchdog');

export const ingestSchema = z
  .strictObject({
    sampleFps: z.number().positive().max(30).default(5).describe('frames per second analysed per camera'),
    preferSubStream: z.boolean().default(true).describe('analyse the camera sub stream when it is at least the model input size'),
    hwaccel: z.enum(['none', 'cuda', 'vaapi']).default('none').describe('hardware decoding for ffmpeg'),
    rtspTransport: z.enum(['tcp', 'udp']).default('tcp').describe('RTSP transport used to pull camera streams'),
    ffmpegPath: z.string().default('ffmpeg').describe('ffmpeg executable'),
    motion: motionSchema.prefault({}).describe('motion gating in front of inference'),
    watchdog: watchdogSchema.prefault({}).describe('per-camera ffmpeg watchdog'),
  })
  .describe('pulling camera streams and turning them into frames');

/** What a camera may override of the global ingest settings. */
export const cameraIngestSchema = z
  .strictObject({
    sampleFps: z.number().positive().max(30).optional().describe('overrides ingest.sampleFps for this camera'),
    hwaccel: z.enum(['none', 'cuda', 'vaapi']).optional().describe('overrides ingest.hwaccel for this camera'),
    motion: z
      .strictObject({
        enabled: z.boolean().optional().describe('overrides ingest.motion.enabled for this camera'),
        threshold: z.number().min(0).max(1).optional().describe('overrides ingest.motion.threshold for this camera'),
        pixelDelta: z.number().int().min(1).max(255).optional().describe('overrides ingest.motion.pixelDelta for this camera'),
        forceIntervalSeconds: z.number().positive().optional().describe('overrides ingest.motion.forceIntervalSeconds for this camera'),
      })
      .optional()
      .describe('overrides ingest.motion fields for this camera'),
  })
  .describe('ingest settings for this camera; unset fields come from the global ingest section');
