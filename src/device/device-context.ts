import type { DeviceConfig, UserConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import type { SoapRequestContext } from '../soap/index.js';
import type { DeviceModel } from './device-model.js';
import type { NotificationMessage } from './event-messages.js';
import type { SubscriptionManager } from './subscriptions.js';

/** What every ONVIF service of the device reads. */
export interface DeviceContext {
  model: DeviceModel;
  config: DeviceConfig;
  users: readonly UserConfig[];
  /** Host put in URLs; 'auto' = the address the request came in on. */
  publicHost: string;
  subscriptions: SubscriptionManager;
  logger: Logger;
  identity: { serialNumber: string; hardwareId: string; firmwareVersion: string; endpoint: string; hostname: string; macAddress: string };
  /** Hands a notification to every event subscriber whose filter selects it. */
  publish(message: NotificationMessage): void;
  /** Called by SystemReboot, after the answer is sent. */
  reboot(): void;
  now(): number;
}

export type ServiceName = 'device' | 'media' | 'media2' | 'events' | 'analytics';

const SERVICE_PATHS: Record<ServiceName, string> = {
  device: 'device_service',
  media: 'media_service',
  media2: 'media2_service',
  events: 'event_service',
  analytics: 'analytics_service',
};

export function servicePath(config: DeviceConfig, service: ServiceName): string {
  return `${config.path}/${SERVICE_PATHS[service]}`;
}

export function subscriptionPath(config: DeviceConfig, id: string): string {
  return `${config.path}/subscription/${encodeURIComponent(id)}`;
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The host clients reach Vigie at, as this request shows it (or the configured public host). */
export function requestHost(device: DeviceContext, ctx: SoapRequestContext): string {
  return hostPart(device.publicHost === 'auto' ? ctx.localAddress : device.publicHost);
}

/** `http://host:port` of this request (the port it came in on). */
export function httpBase(device: DeviceContext, ctx: SoapRequestContext): string {
  return `http://${requestHost(device, ctx)}:${ctx.localPort}`;
}

export function serviceUrl(device: DeviceContext, ctx: SoapRequestContext, service: ServiceName): string {
  return `${httpBase(device, ctx)}${servicePath(device.config, service)}`;
}
