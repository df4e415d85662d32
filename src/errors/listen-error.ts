import { VigieError } from './vigie-error.js';

/** A server could not bind its port. */
export class ListenError extends VigieError {
  readonly code = 'LISTEN_FAILED';

  constructor(readonly service: string, readonly host: string, readonly port: number, cause: NodeJS.ErrnoException) {
    super(
      cause.code === 'EADDRINUSE'
        ? `${service} cannot listen on ${host}:${port}: the port is already in use`
        : cause.code === 'EACCES'
          ? `${service} cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges)`
          : `${service} cannot listen on ${host}:${port}: ${cause.message}`,
      { cause, hint: 'choose another port in the configuration, or stop the program that holds this one' },
    );
  }
}
