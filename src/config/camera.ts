import { z } from 'zod';
import { cameraIngestSchema } from './ingest.js';
import { ruleSchema } from './rule.js';

export const cameraOnvifSchema = z
  .strictObject({
    url: z.url({ error: 'the ONVIF device service URL, e.g. http://192.0.2.10/onvif/device_service' }).describe('device service URL (required)'),
    username: z.string().default('').describe('camera user name; empty = try the discovery site credentials'),
    password: z.string().default('').describe('camera password; never logged'),
    profile: z.string().default('auto').describe('media profile token to analyse; auto = the smallest stream at or above the model input'),
  })
  .describe('an ONVIF camera, onboarded through its device service');

export const cameraSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'camera ids are 1-63 lowercase letters, digits, "_" or "-" (they appear in URLs and topics)' })
      .describe('camera id, stable and unique (required)'),
    name: z.string().default('').describe('name shown to operators and sent to VMSs; empty = the id'),
    enabled: z.boolean().default(true).describe('analyse this camera'),
    onvif: cameraOnvifSchema.optional().describe('onboard through ONVIF (set this or rtsp)'),
    rtsp: z
      .string()
      .regex(/^rtsps?:\/\//, { error: 'an RTSP URL starts with rtsp:// or rtsps://' })
      .optional()
      .describe('RTSP URL of the stream to analyse, credentials inline (set this or onvif)'),
    ingest: cameraIngestSchema.optional().describe('per-camera ingest overrides'),
    rules: z.array(ruleSchema).default([]).describe('rules evaluated on this camera'),
  })
  .refine((c) => (c.onvif === undefined) !== (c.rtsp === undefined), {
    error: 'a camera needs exactly one source: `onvif: { url: ... }` or `rtsp: rtsp://...`',
  })
  .superRefine((camera, ctx) => {
    const seen = new Map<string, number>();
    camera.rules.forEach((rule, i) => {
      const first = seen.get(rule.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `rule name "${rule.name}" is already used by rules[${first}]: rule names are unique per camera` });
      } else seen.set(rule.name, i);
    });
  })
  .describe('a camera Vigie analyses');

export type CameraConfig = z.infer<typeof cameraSchema>;
