import { NS, type XmlElement } from '../soap/index.js';

/** Where a device's time was read from, best first. */
export type ClockSource = 'UTCDateTime' | 'LocalDateTime' | 'http-date' | 'none';

export interface ClockReading {
  /** The device's UTC time in ms, when it could be read. */
  deviceUtcMs: number | undefined;
  source: ClockSource;
  /** NTP or Manual, as the device says. */
  dateTimeType?: string;
  timeZone?: string;
  daylightSavings?: boolean;
  /** Why the best source was not available. */
  note?: string;
}

function int(element: XmlElement | undefined, local: string, min: number, max: number): number | undefined {
  const text = element?.childText(NS.tt, local);
  if (text === undefined || !/^\d{1,4}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** A tt:DateTime (Date{Year,Month,Day}, Time{Hour,Minute,Second}) as ms, read as if it were UTC; undefined when incomplete or out of range. */
export function dateTimeMs(element: XmlElement | undefined): number | undefined {
  if (!element) return undefined;
  const date = element.child(NS.tt, 'Date');
  const time = element.child(NS.tt, 'Time');
  const parts = [int(date, 'Year', 1970, 2200), int(date, 'Month', 1, 12), int(date, 'Day', 1, 31), int(time, 'Hour', 0, 23), int(time, 'Minute', 0, 59), int(time, 'Second', 0, 60)];
  if (parts.some((p) => p === undefined)) return undefined;
  const [y, mo, d, h, mi, s] = parts as number[];
  // Device clocks have one-second resolution: the middle of the second is the best estimate.
  return Date.UTC(y!, mo! - 1, d, h, mi, s) + 500;
}

/**
 * The offset of a time zone from UTC in ms (local = UTC + offset), from a POSIX TZ string (`CST-8`, `UTC0`,
 * `<+0330>-3:30`, `EST5EDT,M3.2.0,M11.1.0`: the standard-time offset) or an IANA name (`Europe/Paris`, at `atMs`).
 */
export function timeZoneOffsetMs(tz: string, atMs: number = Date.now()): number | undefined {
  const text = tz.trim();
  const posix = /^(?:<[A-Za-z0-9+-]{1,16}>|[A-Za-z]{3,16})([+-]?)(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (posix) {
    const seconds = Number(posix[2]) * 3600 + Number(posix[3] ?? 0) * 60 + Number(posix[4] ?? 0);
    // POSIX counts west of Greenwich as positive: "CST-8" is UTC+8.
    return seconds === 0 ? 0 : (posix[1] === '-' ? 1 : -1) * seconds * 1000;
  }
  if (/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$/.test(text)) {
    try {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: text, timeZoneName: 'longOffset' }).formatToParts(new Date(atMs)).find((p) => p.type === 'timeZoneName')?.value;
      const m = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name ?? '');
      if (m) return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) * 1000 : 0;
    } catch (_error) {
      return undefined; // an unknown zone name: the caller falls back to another clock source
    }
  }
  return undefined;
}

/**
 * Reads GetSystemDateAndTimeResponse. UTCDateTime is used when present (the Core spec requires it, the schema does
 * not); otherwise LocalDateTime shifted by the time zone (and one hour for daylight saving when the device says so).
 */
export function readSystemDateAndTime(response: XmlElement): ClockReading {
  const sdt = response.child(NS.tds, 'SystemDateAndTime');
  if (!sdt) return { deviceUtcMs: undefined, source: 'none', note: 'the answer has no SystemDateAndTime' };
  const base = {
    dateTimeType: sdt.childText(NS.tt, 'DateTimeType'),
    timeZone: sdt.child(NS.tt, 'TimeZone')?.childText(NS.tt, 'TZ'),
    daylightSavings: sdt.childText(NS.tt, 'DaylightSavings') === 'true',
  };
  const utc = dateTimeMs(sdt.child(NS.tt, 'UTCDateTime'));
  if (utc !== undefined) return { ...base, deviceUtcMs: utc, source: 'UTCDateTime' };
  const local = dateTimeMs(sdt.child(NS.tt, 'LocalDateTime'));
  if (local !== undefined) {
    const offset = base.timeZone ? timeZoneOffsetMs(base.timeZone, local) : 0;
    if (offset !== undefined) {
      const dst = base.daylightSavings && base.timeZone && !base.timeZone.includes('/') ? 3_600_000 : 0;
      return { ...base, deviceUtcMs: local - offset - dst, source: 'LocalDateTime', note: `no UTCDateTime: derived from LocalDateTime and time zone ${base.timeZone ?? 'UTC (none given)'}` };
    }
    return { ...base, deviceUtcMs: undefined, source: 'none', note: `no UTCDateTime, and the time zone "${base.timeZone}" is not understood` };
  }
  return { ...base, deviceUtcMs: undefined, source: 'none', note: 'neither UTCDateTime nor LocalDateTime is a complete date and time' };
}

/** The device time from an HTTP `Date` header (one-second resolution), or undefined. */
export function httpDateMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms + 500;
}
