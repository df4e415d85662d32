export { frameByteLength, type Frame, type FrameBufferSource, type FrameGeometry } from './frame.js';
export { letterbox, frameBoxToNormalized } from './letterbox.js';
