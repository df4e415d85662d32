export { startHttpServer, type HttpServerHandle, type HttpServerOptions } from './http-server.js';
