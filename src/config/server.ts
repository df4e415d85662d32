import { z } from 'zod';

export const userSchema = z
  .strictObject({
    username: z.string().min(1, { error: 'a user needs a username' }).describe('login name (required)'),
    password: z.string().min(8, { error: 'passwords need at least 8 characters' }).describe('password (required); never logged'),
    role: z
      .enum(['operator', 'administrator'])
      .default('operator')
      .describe('operator: sees and qualifies alerts, reads ONVIF events and metadata; administrator: also changes configuration and rules'),
  })
  .describe('a person who may use Vigie (HTTP Digest and WS-UsernameToken for ONVIF, the REST API and the console)');

export const serverSchema = z
  .strictObject({
    host: z.string().default('0.0.0.0').describe('address the HTTP server listens on (ONVIF services, REST API, /metrics)'),
    port: z.number().int().min(0).max(65535).default(8080).describe('HTTP port for ONVIF services, the REST API and /metrics; 0 = any free port'),
    rtspPort: z.number().int().min(0).max(65535).default(8555).describe('RTSP port serving analysed video and the ONVIF metadata track; 0 = any free port'),
    publicHost: z
      .string()
      .default('auto')
      .describe('host name or address put in URLs Vigie hands out (XAddrs, stream URIs); auto = the address a request came in on'),
    users: z
      .array(userSchema)
      .default([])
      .describe('accounts for the ONVIF device side, the REST API and the console; none means those services refuse every call'),
  })
  .describe('the HTTP and RTSP servers Vigie exposes to VMSs and operators');

export type UserConfig = z.infer<typeof userSchema>;
