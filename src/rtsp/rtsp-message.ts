/** A parsed RTSP request. Header names are lower-cased. */
export interface RtspRequest {
  method: string;
  uri: string;
  version: string;
  headers: Map<string, string>;
  body: Buffer;
}

export type RtspInbound =
  | { kind: 'request'; request: RtspRequest }
  | { kind: 'interleaved'; channel: number; data: Buffer }
  | { kind: 'invalid'; status: 400 | 413 | 505; reason: string };

export interface RtspParserLimits {
  /** @defaultValue 16 KiB */
  maxHeaderBytes?: number;
  /** @defaultValue 64 KiB */
  maxBodyBytes?: number;
}

const DOUBLE_CRLF = Buffer.from('\r\n\r\n');
const DOUBLE_LF = Buffer.from('\n\n');

/**
 * Incremental parser of what an RTSP client sends on its TCP connection: requests, and interleaved `$` frames
 * (RTCP receiver reports). Anything else is reported as `invalid` and the parser stops (the connection is closed).
 */
export class RtspParser {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly limits: RtspParserLimits = {}) {}

  push(chunk: Buffer): RtspInbound[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: RtspInbound[] = [];
    for (;;) {
      while (this.buffer.length > 0 && (this.buffer[0] === 0x0d || this.buffer[0] === 0x0a)) this.buffer = this.buffer.subarray(1);
      if (this.buffer.length === 0) break;
      if (this.buffer[0] === 0x24) {
        if (this.buffer.length < 4) break;
        const length = this.buffer.readUInt16BE(2);
        if (this.buffer.length < 4 + length) break;
        out.push({ kind: 'interleaved', channel: this.buffer[1]!, data: Buffer.from(this.buffer.subarray(4, 4 + length)) });
        this.buffer = this.buffer.subarray(4 + length);
        continue;
      }
      const item = this.request();
      if (!item) break;
      out.push(item);
      if (item.kind === 'invalid') {
        this.failed = true;
        break;
      }
    }
    if (this.buffer.length === 0) this.buffer = Buffer.alloc(0);
    return out;
  }

  private request(): RtspInbound | undefined {
    const maxHeader = this.limits.maxHeaderBytes ?? 16 * 1024;
    let end = this.buffer.indexOf(DOUBLE_CRLF);
    let sep = 4;
    if (end < 0) {
      end = this.buffer.indexOf(DOUBLE_LF);
      sep = 2;
    }
    if (end < 0) {
      if (this.buffer.length > maxHeader) return { kind: 'invalid', status: 400, reason: `request headers longer than ${maxHeader} bytes` };
      // A request line must look like text; binary garbage is refused at once rather than buffered.
      if (!/^[A-Z_]{0,20}( |$)/.test(this.buffer.subarray(0, 21).toString('latin1'))) return { kind: 'invalid', status: 400, reason: 'not an RTSP request' };
      return undefined;
    }
    if (end > maxHeader) return { kind: 'invalid', status: 400, reason: `request headers longer than ${maxHeader} bytes` };
    const head = this.buffer.subarray(0, end).toString('latin1');
    const lines = head.split(/\r?\n/);
    const m = /^([A-Z_]{1,32}) (\S{1,4096}) (RTSP\/\d\.\d|HTTP\/\d\.\d)$/.exec(lines[0] ?? '');
    if (!m) return { kind: 'invalid', status: 400, reason: 'malformed request line' };
    if (m[3] !== 'RTSP/1.0') return { kind: 'invalid', status: 505, reason: `${m[3]} is not supported (RTSP/1.0 only)` };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return { kind: 'invalid', status: 400, reason: 'malformed header line' };
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const lengthHeader = headers.get('content-length');
    const length = lengthHeader === undefined ? 0 : Number(lengthHeader);
    if (!Number.isInteger(length) || length < 0) return { kind: 'invalid', status: 400, reason: 'invalid Content-Length' };
    if (length > (this.limits.maxBodyBytes ?? 64 * 1024)) return { kind: 'invalid', status: 413, reason: 'request body too large' };
    if (this.buffer.length < end + sep + length) return undefined;
    const body = Buffer.from(this.buffer.subarray(end + sep, end + sep + length));
    this.buffer = this.buffer.subarray(end + sep + length);
    return { kind: 'request', request: { method: m[1]!, uri: m[2]!, version: m[3], headers, body } };
  }
}

const STATUS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  451: 'Parameter Not Understood',
  453: 'Not Enough Bandwidth',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
  551: 'Option not supported',
};

export interface RtspResponse {
  status: number;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
}

/** Serialises a response; `cseq` is echoed when the request had one. */
export function formatResponse(response: RtspResponse, cseq: string | undefined, serverName: string): Buffer {
  const body = response.body === undefined ? Buffer.alloc(0) : typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  const lines = [`RTSP/1.0 ${response.status} ${STATUS[response.status] ?? 'Unknown'}`];
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  lines.push(`Date: ${new Date().toUTCString()}`, `Server: ${serverName}`);
  for (const [name, value] of response.headers ?? []) lines.push(`${name}: ${value.replace(/[\r\n]/g, ' ')}`);
  if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
