import { z } from 'zod';

export const metadataStreamSchema = z
  .strictObject({
    pathPrefix: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]*$/, { error: 'an RTSP path starts with / and holds letters, digits, ".", "_", "~", "-" and "/"' })
      .default('/cameras')
      .describe('RTSP path under which each analysed camera is served (rtsp://vigie:server.rtspPort/<pathPrefix>/<cameraId>)'),
    analytics: z.boolean().default(true).describe('metadata track default: scene description (one tt:Object per tracked object); ONVIF SetMetadataConfiguration changes it per camera'),
    events: z.boolean().default(true).describe('metadata track default: rule events as tt:Event notifications; ONVIF SetMetadataConfiguration changes it per camera'),
    sourceLingerSeconds: z
      .number()
      .min(0)
      .max(3600)
      .default(10)
      .describe('keep a camera video passthrough (ffmpeg -c copy) running this long after its last RTSP client left'),
    captureDelaySeconds: z
      .number()
      .min(0)
      .max(5)
      .default(0)
      .describe('how long after the camera frame reached Vigie the analysed frame is stamped (ingest decoding delay); subtracted so boxes line up with the video'),
  })
  .describe("Vigie's own RTSP streams (port server.rtspPort): each analysed camera's video, passed through, with the ONVIF metadata track");
