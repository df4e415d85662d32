export { createLogger, cameraLogger, pluginLogger, silentLogger, type Logger, type LogLevel, type LoggerSettings } from './logger.js';
export { redactText, redactValue, redactArgv, REDACTED } from './redact.js';
