import { z } from 'zod';
import type { HttpTlsOptions } from './http-client.js';

/** The `tls` field of an output reaching its VMS over HTTPS or MQTTS (VMSs often use self-signed certificates). */
export function tlsField() {
  return z
    .strictObject({
      ca: z.string().default('').describe("PEM certificate(s) to trust for this VMS (e.g. its self-signed certificate); empty = the system's trust store"),
      insecure: z
        .boolean()
        .default(false)
        .describe('accept any certificate (no verification): only on a network you trust, when the VMS certificate cannot be obtained'),
    })
    .prefault({})
    .describe('TLS settings for https:// and mqtts:// URLs');
}

export type TlsSettings = z.output<ReturnType<typeof tlsField>>;

/** The HTTP client's TLS options from a `tls` field. */
export function httpTls(tls: TlsSettings): HttpTlsOptions {
  return { rejectUnauthorized: !tls.insecure, ...(tls.ca ? { ca: tls.ca } : {}) };
}
