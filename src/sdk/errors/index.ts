export { SinkError, isSinkError, type SinkErrorDisposition, type SinkErrorOptions } from './sink-error.js';
export { SinkUnavailableError } from './sink-unavailable-error.js';
export { SinkTimeoutError } from './sink-timeout-error.js';
export { SinkAuthError } from './sink-auth-error.js';
export { SinkConfigError } from './sink-config-error.js';
export { SinkRejectedError } from './sink-rejected-error.js';
