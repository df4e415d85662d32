import { z } from 'zod';

export const trackingSchema = z
  .strictObject({
    highScore: z.number().min(0).max(1).default(0.5).describe('detections at or above this confidence are matched first and may start tracks'),
    lowScore: z.number().min(0).max(1).default(0.1).describe('detections between this and highScore only extend existing tracks (ByteTrack second pass)'),
    newTrackScore: z.number().min(0).max(1).default(0.6).describe('a detection must reach this confidence to start a new track'),
    matchIou: z.number().gt(0).max(1).default(0.2).describe('least overlap (IoU with the predicted box) for a high-confidence detection to extend a track'),
    lowMatchIou: z.number().gt(0).max(1).default(0.5).describe('least overlap for a low-confidence detection to extend a track'),
    confirmSeconds: z.number().min(0).default(0.2).describe('a new track is confirmed (shown to rules) once matched over this long, in two detections at least'),
    lostSeconds: z.number().positive().default(3).describe('a track not matched for this long is ended (an object hidden behind another for less keeps its id)'),
    coastSeconds: z.number().min(0).default(0.5).describe('a confirmed track missed by the detector for less than this is still reported, at its predicted position'),
    historySeconds: z.number().positive().default(120).describe('how much of each track history (positions, times, speeds) rules can read'),
  })
  .describe('the multi-object tracker (ByteTrack-style): thresholds in confidence, overlap and seconds');

export type TrackingConfig = z.infer<typeof trackingSchema>;
