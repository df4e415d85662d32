import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { cameraLogger, createLogger, redactArgv, redactText } from '../../../src/logging/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  return { logger, text: () => lines.join('\n'), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('log redaction', () => {
  it('writes an RTSP URL with credentials as rtsp://***@host/…, in the message and in fields', () => {
    const { logger, text, records } = capture();
    logger.info({ url: 'rtsp://admin:S3cret!@10.1.2.3:554/Streaming/Channels/102' }, 'connecting to rtsp://admin:S3cret!@10.1.2.3:554/Streaming/Channels/102');
    const out = text();
    assert.ok(!out.includes('S3cret!'), out);
    assert.ok(!out.includes('admin'), out);
    const [record] = records();
    assert.equal(record!.url, 'rtsp://***@10.1.2.3:554/Streaming/Channels/102');
    assert.equal(record!.msg, 'connecting to rtsp://***@10.1.2.3:554/Streaming/Channels/102');
  });

  it('never writes passwords, tokens or user names held in fields, nested or in errors', () => {
    const { logger, text } = capture();
    const camera = cameraLogger(logger, 'hall');
    camera.warn({ onvif: { username: 'operator7', password: 'hunter22' }, headers: { authorization: 'Bearer abc.def.ghi' }, accessToken: 'tok-123' }, 'auth failed');
    camera.error({ err: new Error('GET http://viewer:pa55@10.0.0.9/snapshot.jpg?token=zzz failed') }, 'snapshot failed');
    const out = text();
    for (const secret of ['operator7', 'hunter22', 'abc.def.ghi', 'tok-123', 'pa55', 'viewer', 'zzz']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    assert.ok(out.includes('"camera":"hall"'), 'child logger binds the camera');
  });

  it('keeps ONVIF identifiers that merely end in Token', () => {
    const { logger, records } = capture();
    logger.info({ profileToken: 'profile_1', videoSourceToken: 'vs_1' }, 'profile chosen');
    const [record] = records();
    assert.equal(record!.profileToken, 'profile_1');
    assert.equal(record!.videoSourceToken, 'vs_1');
  });

  it('scrubs argv, WS-Security XML and HTTP authorization headers', () => {
    assert.deepEqual(redactArgv(['-rtsp_transport', 'tcp', '-i', 'rtsp://u:p@h/s']), ['-rtsp_transport', 'tcp', '-i', 'rtsp://***@h/s']);
    const xml = '<wsse:Username>admin</wsse:Username><wsse:Password Type="x#PasswordDigest">tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password>';
    assert.ok(!redactText(xml).includes('tuOSpGlF'));
    assert.ok(!redactText('Authorization: Digest username="admin", response="6629fae49393a05397450978507c4ef1"').includes('6629fae4'));
  });
});
