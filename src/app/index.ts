export { startVigie, type VigieHandle, type VigieOptions } from './vigie.js';
