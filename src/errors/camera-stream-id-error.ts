import { VigieError } from './vigie-error.js';

/** A camera id cannot name an RTSP path (`/cameras/<id>`). */
export class CameraStreamIdError extends VigieError {
  readonly code = 'CAMERA_STREAM_ID_INVALID';

  constructor(readonly cameraId: string) {
    super(`camera id "${cameraId}" cannot be used in an RTSP URL`, {
      hint: 'camera ids are 1-128 letters, digits, ".", "_", "~" or "-", starting with a letter or digit: rename the camera',
    });
  }
}
