export { VigieError, isVigieError, type VigieErrorOptions } from './vigie-error.js';
export { ConfigError, type ConfigProblem } from './config-error.js';
export { AssetMissingError } from './asset-missing-error.js';
export { AssetChecksumError } from './asset-checksum-error.js';
export { AssetDownloadError } from './asset-download-error.js';
export { StoreError } from './store-error.js';
export { AuditChainError } from './audit-chain-error.js';
export { UsageError } from './usage-error.js';
export { ListenError } from './listen-error.js';
