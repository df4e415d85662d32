import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactText, redactValue } from './redact.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerSettings {
  /** Minimum level written. @defaultValue 'info' (or LOG_LEVEL) */
  level?: LogLevel;
  /** Human-readable lines instead of JSON (pino-pretty). @defaultValue false */
  pretty?: boolean;
  /** Where lines go. @defaultValue standard error, so standard output stays free for command output */
  destination?: DestinationStream;
  /** Fields on every line. */
  base?: Record<string, unknown>;
}

/**
 * The one logger factory. Every line passes through the redactor: secret-named fields are replaced and every
 * string (message, argv, error message and stack) loses credentials, so no call site can leak a password.
 */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: settings.base ?? { app: 'vigie' },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    errorKey: 'err',
    serializers: { err: (e: unknown) => redactValue(e) },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactValue(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (settings.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options, pino.destination({ fd: 2, sync: false }));
}

/** Child logger bound to a camera: every line carries `camera`. */
export function cameraLogger(parent: Logger, cameraId: string): Logger {
  return parent.child({ camera: cameraId });
}

/** Child logger bound to a plugin (VMS sink, detector): every line carries `plugin`. */
export function pluginLogger(parent: Logger, pluginId: string): Logger {
  return parent.child({ plugin: pluginId });
}

/** A logger that writes nothing, for tests and library callers that did not pass one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
