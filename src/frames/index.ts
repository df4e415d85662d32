export { frameByteLength, type Frame, type FrameGeometry } from './frame.js';
export { letterbox, frameBoxToNormalized } from './letterbox.js';
