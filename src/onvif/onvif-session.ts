import { DigestClient, createUsernameToken, usernameTokenHeader } from '../auth/index.js';
import { DigestChallengeError, OnvifAuthError, OnvifClockSkewError, OnvifFaultError, OnvifMalformedResponseError, isVigieError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { serializeSoap, SOAP_CONTENT_TYPE, type XmlElement } from '../soap/index.js';
import { httpDateMs, readSystemDateAndTime, type ClockReading, type ClockSource } from './clock.js';
import { displayUrl } from './device-url.js';
import { httpPost, type HttpAnswer } from './http-post.js';
import { getSystemDateAndTime, type OnvifRequest } from './requests.js';
import { readSoapAnswer, type SoapOutcome } from './soap-answer.js';

/** How a request proves who sends it. */
export type AuthMethod = 'ws-security' | 'http-digest';
/** What worked with a device: one of the methods, or nothing needed. */
export type AuthMode = AuthMethod | 'none';

export const AUTH_LABEL: Record<AuthMode, string> = { 'ws-security': 'WS-UsernameToken', 'http-digest': 'HTTP Digest', none: 'none (the device asks for no credentials)' };

export interface OnvifCredentials {
  username: string;
  password: string;
}

export interface OnvifSessionOptions {
  deviceUrl: URL;
  credentials?: OnvifCredentials;
  /** Deadline of each call, in ms. @defaultValue 10 000 */
  timeoutMs?: number;
  logger: Logger;
  /** Methods tried, in order, the first time the device asks for credentials. @defaultValue ['ws-security', 'http-digest'] */
  authOrder?: readonly AuthMethod[];
  /** A mode known to work (from an earlier onboarding): used directly. */
  authMode?: AuthMode;
  /** A clock offset known from earlier (device minus local, ms). */
  clockOffsetMs?: number;
  /** Fault reasons that mean "your Created time is refused" (Hikvision: "Wsse authorized time check failed"). */
  timeFaultPattern?: RegExp;
  /** Largest answer accepted, in bytes. @defaultValue 2 MiB */
  maxResponseBytes?: number;
  /** Abandons every call in progress and to come (shutdown). */
  signal?: AbortSignal;
}

export interface ClockState {
  /** Device clock minus this machine's, in ms; undefined until read. */
  offsetMs: number | undefined;
  source: ClockSource;
  reading?: ClockReading;
}

interface Exchange {
  outcome: SoapOutcome;
  answer: HttpAnswer;
}

type Attempt = { ok: XmlElement } | { challenge: string[] } | { refused: OnvifFaultError | undefined; noDigest?: boolean };

/** Whether a new 401 only says the nonce went stale (the credentials were right). */
function isStale(challenges: readonly string[]): boolean {
  try {
    return DigestClient.fromChallenges(challenges, { username: '', password: '' }).stale;
  } catch (error) {
    if (error instanceof DigestChallengeError) return false;
    throw error;
  }
}

const DEFAULT_TIME_FAULT = /time|clock|expire|created|timestamp|stale/i;

/**
 * A conversation with one ONVIF device: SOAP 1.2 over HTTP with the authentication real cameras need. PRE_AUTH
 * calls go without credentials first. The first call that needs credentials negotiates: WS-UsernameToken digest
 * (its Created shifted by the device's clock offset), and on a 401 challenge HTTP Digest (the strongest of all
 * WWW-Authenticate headers), without the WS header; a NotAuthorized fault re-reads the device clock and retries
 * once if that changed the time to send. What worked is kept for the following calls. Every failure is a named
 * error naming the device; nothing here throws anything else, and nothing runs in the background.
 */
export class OnvifSession {
  readonly device: string;
  authMode: AuthMode | undefined;
  readonly clock: ClockState = { offsetMs: undefined, source: 'none' };
  /** The Digest algorithm in use, once HTTP Digest works. */
  digestAlgorithm: string | undefined;
  private digest: DigestClient | undefined;
  private resyncing = false;
  /** The refusal of the last failed negotiation and the clock offset it was made with: not repeated against the same clock (lockouts). */
  private refused: { error: Error; offsetMs: number | undefined } | undefined;
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly options: OnvifSessionOptions) {
    this.device = displayUrl(options.deviceUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.log = options.logger;
    this.authMode = options.authMode;
    if (options.clockOffsetMs !== undefined) {
      this.clock.offsetMs = options.clockOffsetMs;
      this.clock.source = 'none';
    }
  }

  get username(): string | undefined {
    return this.options.credentials?.username;
  }

  /** Calls an operation at `serviceUrl` and returns its response element, or throws a named error. */
  async call(serviceUrl: string, request: OnvifRequest): Promise<XmlElement> {
    const credentials = this.options.credentials;
    if (request.anonymous || !credentials || this.authMode === 'none') {
      const { outcome } = await this.exchange(serviceUrl, request, {});
      if (outcome.kind === 'ok') return outcome.response;
      const wantsAuth = outcome.kind === 'challenge' || (outcome.kind === 'fault' && outcome.notAuthorized);
      if (!wantsAuth) throw (outcome as { error: OnvifFaultError }).error;
      if (!credentials) throw new OnvifAuthError(this.device, undefined, [], { operation: request.name });
      if (this.authMode === 'none') this.authMode = undefined;
      this.log.debug({ operation: request.name }, 'the device wants credentials for this call');
      if (outcome.kind === 'challenge' && !this.authMode) return this.negotiate(serviceUrl, request, outcome.challenges);
    }
    if (this.authMode === 'http-digest') return this.withDigest(serviceUrl, request);
    if (this.authMode === 'ws-security') return this.withWsse(serviceUrl, request);
    return this.negotiate(serviceUrl, request, undefined);
  }

  /**
   * Reads the device clock (GetSystemDateAndTime, without credentials unless the device insists) and keeps the
   * offset used for every WS-Security Created from now on. Falls back to LocalDateTime and the time zone, then to
   * the HTTP Date header. Throws only what makes the device unusable (unreachable, not ONVIF, malformed answers).
   */
  async syncClock(): Promise<ClockState> {
    const request = getSystemDateAndTime();
    const sent = Date.now();
    let response: XmlElement | undefined;
    let answer: HttpAnswer | undefined;
    try {
      const first = await this.exchange(this.options.deviceUrl.href, request, {});
      answer = first.answer;
      if (first.outcome.kind === 'ok') response = first.outcome.response;
      else {
        // Some cameras (Panasonic, Vivotek) want credentials even for the clock: estimate from the HTTP Date
        // header first, so a WS-Security token can be stamped, then ask again with credentials.
        this.adoptHttpDate(first.answer, sent);
        const wantsAuth = first.outcome.kind === 'challenge' || (first.outcome.kind === 'fault' && first.outcome.notAuthorized);
        if (wantsAuth && this.options.credentials) response = await this.call(this.options.deviceUrl.href, { ...request, anonymous: false });
        else if (first.outcome.kind === 'fault') this.log.debug({ fault: first.outcome.error.message }, 'GetSystemDateAndTime refused: the clock offset comes from the HTTP Date header');
      }
    } catch (error) {
      if (error instanceof OnvifFaultError || error instanceof OnvifAuthError || error instanceof OnvifClockSkewError) {
        this.log.debug({ err: error }, 'GetSystemDateAndTime failed: the clock offset comes from the HTTP Date header');
      } else throw error;
    }
    if (response) {
      const reading = readSystemDateAndTime(response);
      const received = Date.now();
      if (reading.deviceUtcMs !== undefined) {
        this.clock.offsetMs = Math.round(reading.deviceUtcMs - (sent + received) / 2);
        this.clock.source = reading.source;
        this.clock.reading = reading;
        return this.clock;
      }
      this.clock.reading = reading;
      this.log.debug({ note: reading.note }, 'GetSystemDateAndTime gave no usable time');
    }
    if (answer && this.clock.source !== 'http-date') this.adoptHttpDate(answer, sent);
    return this.clock;
  }

  private adoptHttpDate(answer: HttpAnswer, sent: number): void {
    const date = httpDateMs(answer.headers.date);
    if (date === undefined) return;
    this.clock.offsetMs = Math.round(date - (sent + answer.receivedAt) / 2);
    this.clock.source = 'http-date';
  }

  private async exchange(url: string, request: OnvifRequest, auth: { wsse?: boolean; digest?: boolean }): Promise<Exchange> {
    const credentials = this.options.credentials;
    const header =
      auth.wsse && credentials
        ? [usernameTokenHeader(createUsernameToken({ username: credentials.username, password: credentials.password, clockOffsetMs: this.clock.offsetMs ?? 0 }))]
        : undefined;
    const body = Buffer.from(serializeSoap(request.body, header), 'utf8');
    const target = new URL(url);
    const headers: Record<string, string> = { 'Content-Type': SOAP_CONTENT_TYPE, 'User-Agent': 'Vigie ONVIF client' };
    if (auth.digest && this.digest) headers.Authorization = this.digest.authorization('POST', `${target.pathname}${target.search}`, body);
    const started = Date.now();
    const answer = await httpPost(target, body, {
      headers,
      timeoutMs: this.timeoutMs,
      maxBytes: this.options.maxResponseBytes ?? 2 * 1024 * 1024,
      device: this.device,
      operation: request.name,
      signal: this.options.signal,
    });
    try {
      const outcome = readSoapAnswer(answer, { device: this.device, operation: request.name, expected: request.expected, maxBytes: this.options.maxResponseBytes ?? 2 * 1024 * 1024 });
      this.log.debug({ operation: request.name, status: answer.status, auth: auth.wsse ? 'ws-security' : auth.digest ? 'http-digest' : 'none', outcome: outcome.kind, ms: Date.now() - started }, 'ONVIF call');
      return { outcome, answer };
    } catch (error) {
      if (error instanceof OnvifMalformedResponseError) this.log.debug({ operation: request.name, status: answer.status, body: answer.body.subarray(0, 2000).toString('utf8') }, 'malformed ONVIF answer');
      throw error;
    }
  }

  /** First call that needs credentials: try the methods in order, keep the one that works. */
  private async negotiate(url: string, request: OnvifRequest, firstChallenge: string[] | undefined): Promise<XmlElement> {
    if (this.refused && this.refused.offsetMs === this.clock.offsetMs) throw this.refused.error;
    try {
      return await this.negotiateOnce(url, request, firstChallenge);
    } catch (error) {
      if (error instanceof OnvifAuthError || error instanceof OnvifClockSkewError || error instanceof DigestChallengeError) this.refused = { error, offsetMs: this.clock.offsetMs };
      throw error;
    }
  }

  private async negotiateOnce(url: string, request: OnvifRequest, firstChallenge: string[] | undefined): Promise<XmlElement> {
    const order = this.options.authOrder ?? ['ws-security', 'http-digest'];
    const tried: string[] = [];
    let challenge = firstChallenge;
    let wsseRefusal: OnvifFaultError | undefined;
    let lastRefusal: OnvifFaultError | undefined;
    let unsupported: DigestChallengeError | undefined;
    const methods: AuthMethod[] = challenge ? ['http-digest', ...order.filter((m) => m !== 'http-digest')] : [...order];
    for (const method of methods) {
      if (method === 'ws-security') {
        const attempt = await this.tryWsse(url, request);
        tried.push(AUTH_LABEL['ws-security']);
        if ('ok' in attempt) return this.settle('ws-security', attempt.ok);
        if ('challenge' in attempt) {
          challenge = attempt.challenge;
          if (!methods.includes('http-digest')) methods.push('http-digest');
        } else {
          wsseRefusal = attempt.refused;
          lastRefusal = attempt.refused ?? lastRefusal;
        }
      } else {
        const attempt = await this.tryDigest(url, request, challenge);
        if ('ok' in attempt) {
          if (!this.digest) return this.settle('none', attempt.ok);
          return this.settle('http-digest', attempt.ok);
        }
        if ('challenge' in attempt) continue; // not produced by tryDigest
        if (attempt.noDigest) {
          if (attempt.refused) lastRefusal = attempt.refused;
          continue;
        }
        tried.push(AUTH_LABEL['http-digest']);
        lastRefusal = attempt.refused ?? lastRefusal;
      }
    }
    if (challenge && tried.length === 0) {
      try {
        DigestClient.fromChallenges(challenge, { username: this.username ?? '', password: '', source: this.device });
      } catch (error) {
        if (error instanceof DigestChallengeError) unsupported = error;
      }
      if (unsupported) throw unsupported;
    }
    throw this.refusal(request, tried, wsseRefusal, lastRefusal);
  }

  private settle(mode: AuthMode, response: XmlElement): XmlElement {
    this.authMode = mode;
    this.digestAlgorithm = mode === 'http-digest' ? this.digest?.algorithm : undefined;
    this.log.debug({ mode, algorithm: this.digestAlgorithm }, 'authentication works');
    return response;
  }

  private refusal(request: OnvifRequest, tried: string[], wsseRefusal: OnvifFaultError | undefined, last: OnvifFaultError | undefined): Error {
    const pattern = this.options.timeFaultPattern ?? DEFAULT_TIME_FAULT;
    if (wsseRefusal && pattern.test(wsseRefusal.reason) && !tried.includes(AUTH_LABEL['http-digest'])) {
      const offset = this.clock.offsetMs === undefined ? undefined : this.clock.offsetMs / 1000;
      const detail =
        this.clock.offsetMs === undefined
          ? `"${wsseRefusal.reason}", and it does not tell its time (GetSystemDateAndTime refused, no HTTP Date header), so tokens cannot be stamped with it`
          : `"${wsseRefusal.reason}" even with Created set to the camera's own time (read from ${this.clock.source})`;
      return new OnvifClockSkewError(this.device, offset, detail, { cause: wsseRefusal });
    }
    const clockUnknown = this.clock.source === 'none' || this.clock.source === 'http-date';
    const hint =
      tried.length === 1 && tried[0] === AUTH_LABEL['ws-security'] && clockUnknown
        ? 'check the user name and password; the camera did not tell its time, so its clock may also be too far from this machine for WS-Security: set it (NTP), or enable HTTP Digest on the camera'
        : undefined;
    return new OnvifAuthError(this.device, this.username, tried, { operation: request.name, cause: last, ...(hint ? { hint } : {}) });
  }

  /** WS-UsernameToken; on NotAuthorized, re-read the clock and retry once if that changes the Created time sent. */
  private async tryWsse(url: string, request: OnvifRequest): Promise<Attempt> {
    const first = await this.exchange(url, request, { wsse: true });
    const read = (ex: Exchange): Attempt | undefined => {
      if (ex.outcome.kind === 'ok') return { ok: ex.outcome.response };
      if (ex.outcome.kind === 'challenge') return { challenge: ex.outcome.challenges };
      if (!ex.outcome.notAuthorized) throw ex.outcome.error;
      return undefined;
    };
    const done = read(first);
    if (done) return done;
    const refused = (first.outcome as { error: OnvifFaultError }).error;
    if (await this.resyncChangesTime(first.answer)) {
      this.log.debug({ offsetMs: this.clock.offsetMs, source: this.clock.source }, 'WS-Security refused: clock re-read, one retry');
      const second = await this.exchange(url, request, { wsse: true });
      const again = read(second);
      if (again) return again;
      return { refused: (second.outcome as { error: OnvifFaultError }).error };
    }
    return { refused };
  }

  /** Re-reads the device clock after a refusal; true when the offset moved by more than a second (or was unknown). */
  private async resyncChangesTime(refusal: HttpAnswer): Promise<boolean> {
    if (this.resyncing) return false; // reading the clock itself needed credentials: no second re-read inside it
    const before = this.clock.offsetMs;
    const beforeSource = this.clock.source;
    this.resyncing = true;
    try {
      await this.syncClock();
    } catch (error) {
      if (!isVigieError(error)) throw error;
      this.log.debug({ err: error }, 'clock re-read failed');
    } finally {
      this.resyncing = false;
    }
    if (this.clock.offsetMs !== undefined && before !== undefined && Math.abs(this.clock.offsetMs - before) <= 1000) {
      // The device tells the same time again; its HTTP Date header may disagree (a time zone read wrongly).
      const date = httpDateMs(refusal.headers.date);
      if (date !== undefined && beforeSource !== 'http-date') {
        const fromDate = Math.round(date - refusal.receivedAt);
        if (Math.abs(fromDate - before) > 2000) {
          this.clock.offsetMs = fromDate;
          this.clock.source = 'http-date';
          return true;
        }
      }
      return false;
    }
    return this.clock.offsetMs !== undefined;
  }

  /** HTTP Digest, answering `challenge` (or asking for one first). A stale nonce is answered once more. */
  private async tryDigest(url: string, request: OnvifRequest, challenge: string[] | undefined): Promise<Attempt> {
    let challenges = challenge;
    if (!challenges) {
      const bare = await this.exchange(url, request, {});
      if (bare.outcome.kind === 'ok') {
        this.digest = undefined;
        return { ok: bare.outcome.response };
      }
      if (bare.outcome.kind === 'fault') {
        if (!bare.outcome.notAuthorized) throw bare.outcome.error;
        return { refused: bare.outcome.error, noDigest: true };
      }
      challenges = bare.outcome.challenges;
    }
    for (let round = 0; round < 2; round += 1) {
      try {
        this.digest = DigestClient.fromChallenges(challenges, { username: this.username ?? '', password: this.options.credentials?.password ?? '', source: this.device });
      } catch (error) {
        if (error instanceof DigestChallengeError) return { refused: undefined, noDigest: true };
        throw error;
      }
      const answered = await this.exchange(url, request, { digest: true });
      if (answered.outcome.kind === 'ok') return { ok: answered.outcome.response };
      if (answered.outcome.kind === 'fault') {
        if (!answered.outcome.notAuthorized) throw answered.outcome.error;
        return { refused: answered.outcome.error };
      }
      challenges = answered.outcome.challenges;
      if (!isStale(challenges)) break;
    }
    this.digest = undefined;
    return { refused: undefined };
  }

  private async withDigest(url: string, request: OnvifRequest): Promise<XmlElement> {
    if (this.digest) {
      const answered = await this.exchange(url, request, { digest: true });
      if (answered.outcome.kind === 'ok') return answered.outcome.response;
      if (answered.outcome.kind === 'fault') {
        if (!answered.outcome.notAuthorized) throw answered.outcome.error;
        throw new OnvifAuthError(this.device, this.username, [AUTH_LABEL['http-digest']], { operation: request.name, cause: answered.outcome.error });
      }
      // The nonce expired (stale or not, servers differ): answer the fresh challenge.
      const attempt = await this.tryDigest(url, request, answered.outcome.challenges);
      if ('ok' in attempt) return attempt.ok;
    } else {
      const attempt = await this.tryDigest(url, request, undefined);
      if ('ok' in attempt) return attempt.ok;
    }
    throw new OnvifAuthError(this.device, this.username, [AUTH_LABEL['http-digest']], { operation: request.name });
  }

  private async withWsse(url: string, request: OnvifRequest): Promise<XmlElement> {
    const attempt = await this.tryWsse(url, request);
    if ('ok' in attempt) return attempt.ok;
    if ('challenge' in attempt) {
      this.authMode = undefined;
      return this.negotiate(url, request, attempt.challenge);
    }
    throw this.refusal(request, [AUTH_LABEL['ws-security']], attempt.refused, attempt.refused);
  }
}
