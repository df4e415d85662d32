export { startVigie, type VigieHandle, type VigieOptions } from './vigie.js';
export { modelInputSize } from './model-input.js';
export { vigieVersion } from './version.js';
