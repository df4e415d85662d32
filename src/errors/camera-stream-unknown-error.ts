import { VigieError } from './vigie-error.js';

/** A per-camera stream setting (metadata options) names a camera Vigie's RTSP server does not serve. */
export class CameraStreamUnknownError extends VigieError {
  readonly code = 'CAMERA_STREAM_UNKNOWN';

  constructor(readonly cameraId: string) {
    super(`camera "${cameraId}" has no stream on Vigie's RTSP server`, {
      hint: 'use the id of an analysed camera (vigie cameras list); a camera gets its stream when it is added to the analysis',
    });
  }
}
