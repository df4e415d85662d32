import { z } from 'zod';

export const siteCredentialSchema = z
  .strictObject({
    username: z.string().min(1).describe('camera user name (required)'),
    password: z.string().describe('camera password (required); stored encrypted, never logged'),
  })
  .describe('a user name and password tried on discovered cameras, in order');

export const discoverySchema = z
  .strictObject({
    auto: z.boolean().default(false).describe('add cameras announced by WS-Discovery (Hello, or answers to probes) while running'),
    interfaces: z
      .array(z.string())
      .default([])
      .describe('IPv4 addresses (or names) of the interfaces to probe and listen on; empty = every non-internal IPv4 interface'),
    targets: z
      .array(z.string())
      .default([])
      .describe('hosts or CIDR ranges (HOST, A.B.C.D/NN, optionally :PORT) probed by unicast on port 3702, for routed networks that multicast does not reach'),
    probeTimeoutSeconds: z.number().positive().max(60).default(3).describe('how long to collect probe answers, in seconds'),
    probeIntervalSeconds: z
      .number()
      .min(0)
      .default(300)
      .describe('while running, probe again this often (Hello messages can be lost); 0 = only at start'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(3702)
      .describe('WS-Discovery UDP port; 3702 is the standard, change it only to keep a rehearsal with simulated cameras apart'),
    callTimeoutSeconds: z.number().positive().max(120).default(10).describe('deadline of each ONVIF call while onboarding and checking cameras, in seconds'),
    credentials: z.array(siteCredentialSchema).default([]).describe('site credentials tried, in order, on cameras found by discovery'),
    healthCheckSeconds: z
      .number()
      .positive()
      .default(30)
      .describe('interval between health checks of onboarded cameras; a camera that fails one is marked offline'),
  })
  .describe('finding and onboarding ONVIF cameras');
