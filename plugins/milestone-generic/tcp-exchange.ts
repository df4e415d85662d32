import { Socket } from 'node:net';
import { SinkTimeoutError, SinkUnavailableError } from '../../src/sdk/index.js';

export interface Endpoint {
  host: string;
  port: number;
}

/** Opens a TCP connection, failing with a retryable sink error naming the cause. */
export function connect(endpoint: Endpoint, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const onAbort = () => {
      socket.destroy();
      reject(new SinkTimeoutError(`Milestone generic event port ${endpoint.host}:${endpoint.port} did not accept the connection in time`));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(
        new SinkUnavailableError(`cannot connect to the Milestone generic event port ${endpoint.host}:${endpoint.port}: ${error.code ?? error.message}`, {
          cause: error,
          hint: 'enable the data source in the Management Client (Tools > Options > Generic Events), allow Vigie\'s address, and check the url',
        }),
      );
    });
    socket.connect(endpoint.port, endpoint.host, () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/**
 * Reads from `socket` until `done(received)` says the answer is complete, the server closes, or `signal` aborts.
 * Resolves with what arrived (possibly empty when the server closed without answering).
 */
export function readUntil(socket: Socket, done: (received: Buffer) => boolean, signal: AbortSignal, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (done(received)) {
        cleanup();
        resolve(received);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(received);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new SinkUnavailableError(`${what}: connection failed (${error.message})`, { cause: error }));
    };
    const onAbort = () => {
      cleanup();
      reject(new SinkTimeoutError(`${what}: no answer in time`));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
