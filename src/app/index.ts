export { startVigie, type VigieHandle, type VigieOptions } from './vigie.js';
export { vigieVersion } from './version.js';
