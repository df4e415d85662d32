import { request } from 'node:http';
import { OnvifNotifyError } from '../errors/index.js';
import { serializeSoap, type XmlContent } from '../soap/index.js';
import { wsa } from './namespaces.js';

const NOTIFY_ACTION = 'http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify';

/**
 * Sends one `wsnt:Notify` (one-way, SOAP 1.2 over HTTP POST) to a consumer address. Resolves when the consumer
 * answered 2xx; rejects with `OnvifNotifyError` otherwise (status, network error, timeout).
 */
export function sendNotify(consumer: string, body: XmlContent, timeoutMs: number): Promise<void> {
  const payload = Buffer.from(serializeSoap(body, [wsa('Action', NOTIFY_ACTION), wsa('To', consumer)]), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(consumer, { method: 'POST', headers: { 'Content-Type': `application/soap+xml; charset=utf-8; action="${NOTIFY_ACTION}"`, 'Content-Length': payload.length } }, (res) => {
      res.resume();
      res.once('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new OnvifNotifyError(consumer, `the consumer answered HTTP ${status}`));
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (error) => reject(new OnvifNotifyError(consumer, error.message, { cause: error })));
    req.end(payload);
  });
}
