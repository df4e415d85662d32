import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { DigestServer, UsernameTokenVerifier, staticCredentials } from '../auth/index.js';
import type { DeviceConfig, UserConfig } from '../config/index.js';
import { DiscoveryResponder, ONVIF_TYPES, resolveInterfaces, type DiscoveryTarget } from '../discovery/index.js';
import { isVigieError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { createSoapEndpoint, type SoapOperation } from '../soap/index.js';
import { analyticsOperations } from './analytics-service.js';
import { createDeviceAuthorizer, type UserRole } from './authorizer.js';
import type { DeviceBackend } from './backend.js';
import { servicePath, type DeviceContext, type ServiceName } from './device-context.js';
import { DeviceModel } from './device-model.js';
import { deviceOperations, deviceScopes, localHostname } from './device-service.js';
import { currentState, notificationElement, notificationFor } from './event-messages.js';
import { eventOperations } from './event-service.js';
import { media2Operations } from './media2-service.js';
import { mediaOperations } from './media-service.js';
import { wsnt } from './namespaces.js';
import { sendNotify } from './push-notifier.js';
import { SubscriptionManager } from './subscriptions.js';

export interface OnvifDeviceOptions {
  /** The `device` section of vigie.yaml. */
  config: DeviceConfig;
  /** Accounts allowed on the ONVIF services (`server.users`): HTTP Digest and WS-UsernameToken. */
  users: readonly UserConfig[];
  backend: DeviceBackend;
  logger: Logger;
  /** `server.publicHost`: host put in XAddrs and stream URIs; 'auto' = the address each request came in on. @defaultValue 'auto' */
  publicHost?: string;
  /** Vigie's version, answered as the firmware version. */
  version?: string;
  /** Clock in ms. @defaultValue Date.now */
  now?: () => number;
}

export interface OnvifDeviceStartOptions {
  /** The port the HTTP server listens on (for the XAddrs announced by WS-Discovery). */
  httpPort: number;
}

export interface OnvifDevice {
  /** Express router serving the ONVIF services under `config.path`; mount it on the HTTP server (`app.use(device.router)`). */
  router: Router;
  /** The same as a plain node:http handler (answers 404 outside the ONVIF paths). */
  handler(req: IncomingMessage, res: ServerResponse): void;
  /** Starts event forwarding from the backend, subscription expiry, and (with `config.announce`) WS-Discovery: Hello and answers to probes. */
  start(options: OnvifDeviceStartOptions): Promise<void>;
  /** Sends Bye, ends every subscription and stops forwarding. */
  stop(): Promise<void>;
  /** The WS-Discovery EndpointReference (`urn:uuid:...`), stable for a host and device name. */
  readonly endpointReference: string;
  /** Open pull points and push subscriptions, for /health. */
  subscriptionCount(): { pull: number; push: number };
  /**
   * What a camera's metadata stream should carry, as ONVIF clients configured it (Media2 SetMetadataConfiguration,
   * Add/RemoveConfiguration): `analytics` (object boxes), `events` (notifications in the stream), or nothing when the
   * profile no longer carries the metadata configuration. Undefined for a camera that is not a video source.
   */
  metadataSettings(cameraId: string): { enabled: boolean; analytics: boolean; events: boolean } | undefined;
}

const REALM = 'Vigie ONVIF';

function stableIdentity(name: string): DeviceContext['identity'] {
  const host = localHostname();
  const hash = createHash('sha256').update(`vigie-onvif-device\n${host}\n${name}`).digest('hex');
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${((parseInt(hash.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hash.slice(18, 20)}-${hash.slice(20, 32)}`;
  const mac = ['02', ...(hash.slice(32, 42).match(/../g) ?? [])].join(':');
  return { serialNumber: hash.slice(0, 12).toUpperCase(), hardwareId: 'vigie', firmwareVersion: '0.0.0', endpoint: `urn:uuid:${uuid}`, hostname: host, macAddress: mac };
}

/**
 * Vigie as an ONVIF Profile M device: one device whose video sources are the analysed cameras (one media profile
 * each, with the camera's video passed through and a metadata configuration), with the Device, Media, Media2,
 * Analytics and Event services, HTTP Digest and WS-UsernameToken for the configured users, and WS-Discovery
 * presence. Nothing listens, subscribes or announces before `start`.
 */
export function createOnvifDevice(options: OnvifDeviceOptions): OnvifDevice {
  const { config, backend, logger } = options;
  const now = options.now ?? Date.now;
  const log = logger.child({ component: 'onvif-device' });
  const identity = stableIdentity(config.identity.name);
  if (config.identity.serialNumber) identity.serialNumber = config.identity.serialNumber;
  if (options.version) identity.firmwareVersion = options.version;
  const roles = new Map<string, UserRole>(options.users.map((u) => [u.username, u.role]));
  const credentials = staticCredentials(options.users.map((u) => ({ username: u.username, password: u.password })));
  const digest = new DigestServer({ realm: REALM, credentials, algorithms: ['SHA-256', 'MD5'], now });
  const model = new DeviceModel(backend);
  let rebootHook: () => void = () => undefined;

  const subscriptions = new SubscriptionManager({
    logger: log,
    maxPullPoints: config.maxPullPoints,
    maxPushSubscriptions: config.maxPushSubscriptions,
    now,
    currentState: () => currentState(model, now()),
    notify: (s, messages) =>
      sendNotify(
        s.consumer!,
        wsnt(
          'Notify',
          messages.map((m) => notificationElement(m, s.references)),
        ),
        config.pushTimeoutSeconds * 1000,
      ),
  });
  const device: DeviceContext = {
    model,
    config,
    users: options.users,
    publicHost: options.publicHost ?? 'auto',
    subscriptions,
    logger: log,
    identity,
    publish: (message) => subscriptions.publish(message),
    reboot: () => rebootHook(),
    now,
  };

  const operations: SoapOperation[] = [...deviceOperations(device), ...mediaOperations(device), ...media2Operations(device), ...analyticsOperations(device), ...eventOperations(device)];
  const soap = createSoapEndpoint({
    operations,
    logger: log,
    authorize: createDeviceAuthorizer({ digest, tokens: new UsernameTokenVerifier({ credentials, now }), roleOf: (u) => roles.get(u), logger: log }),
  });

  const router = Router();
  const services: ServiceName[] = ['device', 'media', 'media2', 'events', 'analytics'];
  router.all(
    services.map((s) => servicePath(config, s)),
    (req, res) => soap(req, res),
  );
  router.all(`${config.path}/subscription/:id`, (req, res) => soap(req, res));
  router.get(`${config.path}/snapshot/:file`, (req, res) => {
    const check = digest.verify({ method: req.method, uri: req.originalUrl, authorization: req.headers.authorization });
    if (!check.ok) {
      res.status(401).setHeader('WWW-Authenticate', digest.challenge({ stale: check.reason === 'stale' }));
      res.type('text/plain').send('authentication required (HTTP Digest)\n');
      return;
    }
    const token = String(req.params.file).replace(/\.jpe?g$/i, '');
    const source = model.sources().find((s) => s.token === token);
    if (!source) {
      res.status(404).type('text/plain').send(`no video source "${token}"\n`);
      return;
    }
    const snapshot = backend.snapshot ? backend.snapshot(source.cameraId) : Promise.resolve(undefined);
    snapshot
      .then((jpeg) => {
        if (!jpeg) res.status(503).setHeader('Retry-After', '2').type('text/plain').send(`no analysed picture of camera ${source.cameraId} yet\n`);
        else res.status(200).type('image/jpeg').setHeader('Content-Length', jpeg.length).end(jpeg);
      })
      .catch((error: unknown) => {
        log.warn({ err: error, camera: source.cameraId }, 'snapshot failed');
        if (!res.headersSent) res.status(500).type('text/plain').send('snapshot failed\n');
      });
  });

  let responders: DiscoveryResponder[] = [];
  let unsubscribe: (() => void) | undefined;
  let httpPort = 0;

  const target = (address: string): DiscoveryTarget => ({
    endpoint: identity.endpoint,
    types: [ONVIF_TYPES.networkVideoTransmitter, ONVIF_TYPES.device],
    scopes: deviceScopes(device),
    xaddrs: [`http://${address}:${httpPort}${servicePath(config, 'device')}`],
    metadataVersion: 1,
  });

  async function startDiscovery(): Promise<void> {
    if (!config.announce) return;
    let interfaces;
    try {
      interfaces = resolveInterfaces(config.interfaces);
    } catch (error) {
      log.warn({ err: error, hint: isVigieError(error) ? error.hint : undefined }, 'ONVIF device not announced by WS-Discovery');
      return;
    }
    for (const iface of interfaces) {
      const responder = new DiscoveryResponder({ interfaceAddress: iface.address, port: config.discoveryPort, logger: log.child({ interface: iface.address }), targets: () => [target(iface.address)] });
      try {
        await responder.start();
        responders.push(responder);
      } catch (error) {
        log.warn({ err: error, interface: iface.address, hint: isVigieError(error) ? error.hint : undefined }, 'WS-Discovery presence not started on this interface');
      }
    }
  }

  async function stopDiscovery(): Promise<void> {
    const list = responders;
    responders = [];
    await Promise.all(list.map((r) => r.stop()));
  }

  rebootHook = () => {
    log.info('SystemReboot: ending subscriptions and announcing the device again');
    subscriptions.stop();
    subscriptions.start();
    void stopDiscovery()
      .then(() => startDiscovery())
      .catch((error: unknown) => log.warn({ err: error }, 'WS-Discovery restart failed'));
  };

  return {
    router,
    handler: (req, res) =>
      router(req as never, res as never, () => {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`not found: the ONVIF device service is ${servicePath(config, 'device')}\n`);
      }),
    endpointReference: identity.endpoint,
    subscriptionCount: () => ({ pull: subscriptions.count('pull'), push: subscriptions.count('push') }),
    metadataSettings: (cameraId) => {
      const source = model.sourceByCamera(cameraId);
      if (!source) return undefined;
      const settings = model.metadataSettings(source);
      return { enabled: model.attachments(source).metadata, analytics: settings.analytics, events: settings.events !== undefined };
    },
    async start(startOptions) {
      httpPort = startOptions.httpPort;
      if (options.users.length === 0) {
        log.warn({ hint: 'add accounts under server.users (role operator for a VMS, administrator to draw rules)' }, 'ONVIF device has no users: every call but GetSystemDateAndTime, GetServices and capabilities is refused');
      }
      subscriptions.start();
      unsubscribe ??= backend.events.subscribe((event) => {
        try {
          const source = model.sourceByCamera(event.cameraId);
          const message = source ? notificationFor(event, source) : undefined;
          if (message) subscriptions.publish(message);
        } catch (error) {
          log.error({ err: error, event: event.id }, 'event could not be forwarded to ONVIF subscribers');
        }
      });
      await startDiscovery();
      log.info({ path: servicePath(config, 'device'), discovery: responders.length, endpoint: identity.endpoint }, 'ONVIF device started');
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      subscriptions.stop();
      await stopDiscovery();
    },
  };
}
