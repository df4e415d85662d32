export { startVigie, type VigieHandle, type VigieOptions } from './vigie.js';
export { modelInputSize } from './model-input.js';
