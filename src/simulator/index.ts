export { startSimulator, type SimulatorHandle } from './simulator.js';
export type { SimulatedCameraInfo } from './camera.js';
export { simulatorOptionsSchema, parseFault, type SimulatorOptions, type SimulatorOptionsInput, type SimulatedFault } from './options.js';
export { probeVideo, type VideoInfo } from './video-file.js';
export { uuidFromSeed } from './identity.js';
