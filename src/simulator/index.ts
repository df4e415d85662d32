export { startSimulator, type SimulatorHandle } from './simulator.js';
export type { SimulatedCameraInfo } from './camera.js';
export { simulatorOptionsSchema, parseFault, parseQuirk, SIMULATOR_QUIRKS, type SimulatorOptions, type SimulatorOptionsInput, type SimulatedFault, type SimulatorQuirk } from './options.js';
export { probeVideo, type VideoInfo } from './video-file.js';
export { uuidFromSeed } from './identity.js';
