import { z } from 'zod';

export const deviceIdentitySchema = z
  .strictObject({
    name: z.string().min(1).max(64).default('Vigie').describe('device name shown by VMSs (GetDeviceInformation, discovery scope name/)'),
    manufacturer: z.string().min(1).max(64).default('Vigie').describe('manufacturer answered by GetDeviceInformation'),
    model: z.string().min(1).max(64).default('Vigie analytics bridge').describe('model answered by GetDeviceInformation'),
    location: z.string().max(64).default('').describe('location scope announced in WS-Discovery (onvif://www.onvif.org/location/...); empty = none'),
    serialNumber: z
      .string()
      .max(64)
      .default('')
      .describe('serial number answered by GetDeviceInformation; empty = derived from the host name and the HTTP port, stable across restarts'),
  })
  .describe('how Vigie presents itself to VMSs');

export const deviceSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('serve Vigie itself as an ONVIF Profile M device (one video source per analysed camera) on the HTTP port, users from server.users'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9_/-]*[A-Za-z0-9_-]$/, { error: 'the ONVIF base path starts with "/" and has no trailing "/", e.g. /onvif' })
      .default('/onvif')
      .describe('base path of the ONVIF services on the HTTP server: the device service is PATH/device_service'),
    identity: deviceIdentitySchema.prefault({}).describe(deviceIdentitySchema.description ?? ''),
    announce: z.boolean().default(true).describe('answer WS-Discovery probes and send Hello at start and Bye at stop, so VMS discovery finds Vigie'),
    interfaces: z
      .array(z.string())
      .default([])
      .describe('IPv4 addresses (or names) of the interfaces WS-Discovery answers on; empty = every non-internal IPv4 interface'),
    discoveryPort: z.number().int().min(1).max(65535).default(3702).describe('WS-Discovery UDP port; 3702 is the standard, change it only to keep a rehearsal apart'),
    maxPullPoints: z.number().int().min(2).max(1000).default(10).describe('event pull-point subscriptions open at once (Profile M needs at least 2)'),
    maxPushSubscriptions: z.number().int().min(0).max(1000).default(10).describe('base-notification (push) subscriptions open at once; 0 refuses Subscribe'),
    subscriptionSeconds: z
      .number()
      .positive()
      .max(86_400)
      .default(60)
      .describe('lifetime of an event subscription when the client gives no InitialTerminationTime; a pull or a Renew extends it'),
    maxPullTimeoutSeconds: z
      .number()
      .positive()
      .max(3600)
      .default(300)
      .describe('longest a PullMessages call waits for an event; longer Timeouts are shortened to this'),
    pushTimeoutSeconds: z.number().positive().max(120).default(5).describe('deadline of each Notify sent to a push subscriber'),
  })
  .describe('Vigie as an ONVIF device (Profile M: device, media, media2, analytics and event services, WS-Discovery presence)');

export type DeviceConfig = z.infer<typeof deviceSchema>;
