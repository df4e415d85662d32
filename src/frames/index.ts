export { frameByteLength, type Frame, type FrameGeometry } from './frame.js';
