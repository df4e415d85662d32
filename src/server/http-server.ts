import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ListenError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  metrics: Registry;
  /** What `/health` reports about the running stages. */
  health: () => Record<string, unknown>;
}

export interface HttpServerHandle {
  app: Express;
  server: Server;
  /** The bound port (useful when `port` was 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * The one HTTP port: `/health`, `/metrics`, and the routes later stages mount (REST API, ONVIF services).
 * Nothing listens before this function is called; it resolves once the port is bound.
 */
export async function startHttpServer(options: HttpServerOptions, mount: (app: Express) => void = () => undefined): Promise<HttpServerHandle> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', ...options.health() });
  });
  app.get('/metrics', (_req, res, next) => {
    options.metrics
      .metrics()
      .then((text) => res.type(options.metrics.contentType).send(text))
      .catch(next);
  });
  mount(app);
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ err: error, path: req.path }, 'HTTP request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => reject(new ListenError('HTTP server', options.host, options.port, cause)));
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      server.on('error', (error) => options.logger.error({ err: error }, 'HTTP server error'));
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    app,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
