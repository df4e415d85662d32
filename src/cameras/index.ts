export type { CameraEntry, CameraState, CameraStream } from './camera-entry.js';
export { CameraRegistry, type CameraRegistryEvents } from './camera-registry.js';
export { CameraManager, stripCredentials, type CameraManagerOptions } from './camera-manager.js';
export { discoveredCameraId } from './camera-id.js';
export { followCameras, type CameraConsumer, type CameraFollower } from './camera-follower.js';
