import { SinkAuthError } from './errors/sink-auth-error.js';
import { SinkConfigError } from './errors/sink-config-error.js';
import { SinkRejectedError } from './errors/sink-rejected-error.js';
import { SinkUnavailableError } from './errors/sink-unavailable-error.js';
import type { HttpResponse } from './http-client.js';

export interface StatusContext {
  /** What was called, for the message, e.g. `Genetec Web SDK RaiseCustomEvent`. */
  what: string;
  /** Hint for 401/403: which settings hold the credentials. */
  authHint?: string;
  /** Hint for 404: what must exist on the VMS. */
  notFoundHint?: string;
}

/**
 * Throws the sink error a status means, or returns for 2xx: 401/403 → auth (held), 404 → configuration (held),
 * 408/429/5xx → unavailable (retried, honouring Retry-After), other 4xx → rejected (dead-lettered).
 */
export function throwForStatus(response: HttpResponse, context: StatusContext): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const excerpt = bodyExcerpt(response.body);
  const message = `${context.what} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
  if (status === 401 || status === 403) {
    throw new SinkAuthError(message, { status, hint: context.authHint ?? 'check the user name and password of this output, and that the user may call this API' });
  }
  if (status === 404) {
    throw new SinkConfigError(message, { status, hint: context.notFoundHint ?? 'check the output url (host, port and path) and that the VMS has this API enabled' });
  }
  if (status === 408 || status === 429 || status >= 500) {
    throw new SinkUnavailableError(message, { status, retryAfterSeconds: retryAfter(response) });
  }
  throw new SinkRejectedError(message, { status, hint: 'the VMS refused this event as sent; see its message above, fix the output settings, then replay it with `vigie events dead-letter replay`' });
}

/** First line of a body, trimmed to 200 characters, for error messages. */
export function bodyExcerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function retryAfter(response: HttpResponse): number | undefined {
  const value = response.headers['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
