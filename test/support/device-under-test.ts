/**
 * Vigie's ONVIF device with the test backend, as a process of its own (for clients that must run in a network
 * namespace). Prints `ready PORT` once listening and announced; stops (Bye) on SIGTERM.
 * Environment: DEVICE_PASSWORD (user `admin`, administrator).
 */
import { deviceSchema } from '../../src/config/index.js';
import { createOnvifDevice } from '../../src/device/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createMetricsRegistry } from '../../src/metrics/index.js';
import { startHttpServer } from '../../src/server/index.js';
import { FakeDeviceBackend } from './device-backend.js';

const device = createOnvifDevice({
  config: deviceSchema.parse({ interfaces: ['127.0.0.1'] }),
  users: [{ username: 'admin', password: process.env.DEVICE_PASSWORD ?? 'device-pw-1', role: 'administrator' }],
  backend: new FakeDeviceBackend(),
  logger: silentLogger(),
});
const http = await startHttpServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), metrics: createMetricsRegistry(), health: () => ({}) }, (app) => app.use(device.router));
await device.start({ httpPort: http.port });
process.stdout.write(`ready ${http.port}\n`);
process.once('SIGTERM', () => {
  void device
    .stop()
    .then(() => http.close())
    .then(() => process.exit(0));
});
