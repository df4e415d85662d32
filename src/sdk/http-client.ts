/**
 * The HTTP client the host gives every plugin (`context.http`): keep-alive connections, timeouts, Basic, Digest
 * and Bearer authentication, TLS options. Plugins use it instead of their own so that timeouts, cancellation and
 * error reporting behave the same for every VMS.
 *
 * A response is returned whatever its status; `throwForStatus` turns statuses into the SDK's sink errors.
 * Network failures (refused connection, DNS, reset, timeout) reject with `SinkUnavailableError` or
 * `SinkTimeoutError`; an untrusted TLS certificate rejects with `SinkConfigError` (its hint says what to set).
 */
export type HttpAuth =
  | { scheme: 'basic'; username: string; password: string }
  /** RFC 7616 Digest (MD5 or SHA-256, qop=auth): the client answers the server's 401 challenge and reuses the nonce. */
  | { scheme: 'digest'; username: string; password: string }
  | { scheme: 'bearer'; token: string };

export interface HttpTlsOptions {
  /** Verify the server's certificate. @defaultValue true */
  rejectUnauthorized?: boolean;
  /** PEM certificate(s) to trust in addition to the system's (a VMS's self-signed certificate). */
  ca?: string;
}

export interface HttpRequest {
  /** @defaultValue 'GET' */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  auth?: HttpAuth;
  /** Whole request, connection to last byte. @defaultValue the sink's delivery timeout */
  timeoutSeconds?: number;
  /** Cancels the request (the host aborts deliveries that overrun their timeout). */
  signal?: AbortSignal;
  tls?: HttpTlsOptions;
  /** Larger bodies are cut (the rest is discarded). @defaultValue 1 MiB */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body decoded as UTF-8. */
  body: string;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
