import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DigestServer } from '../auth/index.js';
import type { Logger } from '../logging/index.js';
import { snapshotJpeg } from '../rtsp/index.js';
import { sendReply } from '../soap/index.js';
import type { StreamProfile } from './camera-model.js';

const FRESH_MS = 500;
// Node sends no body for HEAD but keeps the Content-Length of the GET answer.

interface CacheEntry {
  at: number;
  jpeg?: Buffer;
  pending?: Promise<Buffer>;
}

/**
 * `GET /onvif/snapshot/<token>.jpg`: a JPEG of the profile's current picture, behind HTTP Digest (in every auth
 * mode: an HTTP GET carries no WS-Security). Concurrent requests share one decode; a picture is reused for 0.5 s.
 */
export function createSnapshotHandler(options: { profiles: readonly StreamProfile[]; digest: DigestServer; logger: Logger; label: string; delayMs?: number }) {
  const cache = new Map<string, CacheEntry>();

  function picture(profile: StreamProfile): Promise<Buffer> {
    const entry = cache.get(profile.token) ?? { at: 0 };
    cache.set(profile.token, entry);
    if (entry.jpeg && Date.now() - entry.at < FRESH_MS) return Promise.resolve(entry.jpeg);
    if (entry.pending) return entry.pending;
    entry.pending = snapshotJpeg(profile.track, { label: `${options.label} ${profile.token}` })
      .then((jpeg) => {
        entry.jpeg = jpeg;
        entry.at = Date.now();
        return jpeg;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  }

  return (req: IncomingMessage, res: ServerResponse, token: string): void => {
    const text = (status: number, body: string, headers: Record<string, string | readonly string[]> = {}) =>
      sendReply(res, { status, headers, body: `${body}\n`, contentType: 'text/plain; charset=utf-8' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'use GET', { Allow: 'GET' });
    const check = options.digest.verify({ method: req.method, uri: req.url ?? '/', authorization: req.headers.authorization });
    if (!check.ok) {
      if (check.reason !== 'missing' && check.reason !== 'stale') options.logger.info({ reason: check.reason, detail: check.detail }, 'snapshot request refused');
      return text(401, 'authentication required', { 'WWW-Authenticate': options.digest.challenge({ stale: check.reason === 'stale' }) });
    }
    const profile = options.profiles.find((p) => p.token === token);
    if (!profile) return text(404, `no profile "${token}"`);
    const started = Date.now();
    picture(profile)
      .then(async (jpeg) => {
        const wait = (options.delayMs ?? 0) - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sendReply(res, { status: 200, headers: { 'Cache-Control': 'no-store' }, body: jpeg, contentType: 'image/jpeg' });
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error, profile: token }, 'snapshot failed');
        text(503, 'snapshot unavailable: the video source is not ready', { 'Retry-After': '2' });
      });
  };
}
