import { senderFault } from './faults.js';

const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An xs:duration (`PT60S`, `PT1M30.5S`, `P1DT2H`) in milliseconds, or undefined when it is not one. Years are 365 days, months 30. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, sign, y, mo, d, h, mi, s] = m;
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const ms = ((((n(y) * 365 + n(mo) * 30 + n(d)) * 24 + n(h)) * 60 + n(mi)) * 60 + n(s)) * 1000;
  return sign ? -ms : ms;
}

/** An xs:duration of whole seconds (`PT60S`). */
export function formatDuration(ms: number): string {
  return `PT${Math.max(0, Math.round(ms / 1000))}S`;
}

/**
 * A WS-Notification termination time: a duration from now (`PT60S`) or an absolute xs:dateTime. Returns the
 * absolute time in ms; a malformed value, or one in the past, is a Sender fault.
 */
export function parseTerminationTime(text: string, now: number, what: string): number {
  const t = text.trim();
  const duration = parseDuration(t);
  const at = duration !== undefined ? now + duration : /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`) : Number.NaN;
  if (!Number.isFinite(at)) throw senderFault(`${what} "${t}" is neither an xs:duration (PT60S) nor an xs:dateTime`, 'InvalidArgVal');
  if (at <= now) throw senderFault(`${what} "${t}" is already past`, 'InvalidArgVal');
  return at;
}

/** xs:dateTime in UTC with a Z. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
