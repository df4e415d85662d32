import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DigestServer, staticCredentials } from '../../../src/auth/index.js';
import { silentLogger } from '../../../src/logging/index.js';
import { Base64StreamDecoder } from '../../../src/rtsp/base64-stream.js';
import { OnvifMetadataTrack, RtspServer } from '../../../src/rtsp/index.js';
import { RawRtspClient } from '../../support/rtsp-client.js';

const CREDENTIALS = { user: 'viewer', password: 'tunnel-secret' };
const DOC = '<?xml version="1.0" encoding="UTF-8"?><tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"/>';

function rawConnect(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes it. */
function readToEnd(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined); // a reset also ends the exchange
    socket.on('close', () => resolve(text));
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A tunnel as a QuickTime-style client opens it: GET (RTSP answers come back on it), then POST whose body is every
 * request base64-encoded on its own and written in pieces of `pieces` bytes (odd sizes cut quanta and requests).
 */
async function openTunnel(port: number, cookie: string, pieces: readonly number[]): Promise<{ client: RawRtspClient; post: Socket }> {
  const client = await RawRtspClient.open(port);
  client.write(`GET /meta HTTP/1.0\r\nUser-Agent: raw test\r\nx-sessioncookie: ${cookie}\r\nAccept: application/x-rtsp-tunnelled\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n\r\n`);
  await until(() => client.httpStatus !== undefined, 'the GET answer');
  assert.equal(client.httpStatus, 200);
  const post = await rawConnect(port);
  post.on('error', () => undefined);
  post.setNoDelay(true);
  post.write(`POST /meta HTTP/1.0\r\nx-sessioncookie: ${cookie}\r\nContent-Type: application/x-rtsp-tunnelled\r\nContent-Length: 32767\r\n\r\n`);
  let turn = 0;
  client.sendRequest = (text) => {
    const b64 = `${Buffer.from(text, 'latin1').toString('base64')}\r\n`;
    for (let at = 0; at < b64.length; ) {
      const n = pieces[turn++ % pieces.length]!;
      post.write(b64.slice(at, at + n));
      at += n;
    }
  };
  return { client, post };
}

describe('RTSP over HTTP tunnel (raw sockets)', { concurrency: true }, () => {
  let server: RtspServer;
  let base: string;
  const metadata = new OnvifMetadataTrack({ maxPayloadSize: 300 });
  let publisher: NodeJS.Timeout;

  before(async () => {
    const logger = silentLogger();
    const auth = new DigestServer({ realm: 'tunnel', credentials: staticCredentials([{ username: CREDENTIALS.user, password: CREDENTIALS.password }]) });
    server = new RtspServer({ host: '127.0.0.1', port: 0, logger, auth, sessionTimeoutSeconds: 5 });
    server.mount('/meta', { name: 'metadata', tracks: [metadata] });
    await server.start();
    base = `rtsp://127.0.0.1:${server.port}/meta`;
    publisher = setInterval(() => metadata.publish(DOC), 50);
  });
  after(async () => {
    clearInterval(publisher);
    await server.stop();
  });

  it('decodes base64 split at every boundary, with each request padded on its own and line breaks between', () => {
    const requests = ['OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n\r\n', 'DESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 22\r\n\r\n', 'P'];
    const text = requests.map((r) => `${Buffer.from(r).toString('base64')}\r\n`).join('');
    for (let size = 1; size <= 9; size += 1) {
      const decoder = new Base64StreamDecoder();
      const out: Buffer[] = [];
      for (let at = 0; at < text.length; at += size) out.push(decoder.push(Buffer.from(text.slice(at, at + size)))!);
      assert.equal(Buffer.concat(out).toString(), requests.join(''), `pieces of ${size}`);
      assert.equal(decoder.pending, 0);
    }
    assert.equal(new Base64StreamDecoder().push(Buffer.from('T1BUSU9OUw==<script>')), undefined, 'not base64: refused');
    assert.equal(new Base64StreamDecoder().push(Buffer.from('QQ=B')), undefined, 'padding inside a quantum: refused');
  });

  it('carries Digest-authenticated RTSP and interleaved RTP through the tunnel, with the POST body cut at odd places', async () => {
    const { client, post } = await openTunnel(server.port, 'cookie-odd-1', [1, 3, 5, 7, 2, 11]);
    try {
      assert.equal((await client.request('OPTIONS', base)).status, 200);
      const anonymous = await client.request('DESCRIBE', base);
      assert.equal(anonymous.status, 401, 'Digest applies inside the tunnel');
      assert.match(anonymous.headers.get('www-authenticate')![0]!, /^Digest realm="tunnel"/);
      const describe = await client.request('DESCRIBE', base, { Accept: 'application/sdp' }, CREDENTIALS);
      assert.equal(describe.status, 200);
      assert.match(describe.body, /m=application 0 RTP\/AVP \d+/);
      const setup = await client.request('SETUP', `${base}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      assert.equal(setup.status, 200);
      const session = setup.headers.get('session')![0]!.split(';')[0]!;
      assert.equal((await client.request('PLAY', `${base}/`, { Session: session })).status, 200);
      const frames = await client.waitFrames(0, 5);
      assert.equal(frames.length, 5, 'RTP comes back interleaved on the GET connection');
    } finally {
      post.destroy();
      client.close();
    }
  });

  it('a wrong password through the tunnel gets 401 and nothing is served', async () => {
    const { client, post } = await openTunnel(server.port, 'cookie-wrong-pw', [4, 9]);
    try {
      const wrong = await client.request('DESCRIBE', base, {}, { user: CREDENTIALS.user, password: 'nope' });
      assert.equal(wrong.status, 401);
      assert.equal((await client.request('SETUP', `${base}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' })).status, 401);
      assert.equal(client.frames.length, 0);
    } finally {
      post.destroy();
      client.close();
    }
  });

  it('refuses a POST with an unknown cookie (403), and a GET without a cookie (400)', async () => {
    const post = await rawConnect(server.port);
    const reply = readToEnd(post);
    post.write(`POST /meta HTTP/1.0\r\nx-sessioncookie: never-opened\r\nContent-Length: 32767\r\n\r\n${Buffer.from(`DESCRIBE ${base} RTSP/1.0\r\nCSeq: 1\r\n\r\n`).toString('base64')}`);
    const text = await reply;
    assert.match(text, /^HTTP\/1\.0 403 Forbidden\r\n/);
    assert.doesNotMatch(text, /RTSP\/1\.0/, 'the request in its body was not run');

    // The cookie of an open tunnel, but POSTed from another address (127.0.0.2, still loopback): refused too.
    const { client } = await openTunnel(server.port, 'cookie-hijack', [64]);
    const intruder = await rawConnect(server.port, '127.0.0.2');
    const refused = readToEnd(intruder);
    intruder.write(`POST /meta HTTP/1.0\r\nx-sessioncookie: cookie-hijack\r\nContent-Length: 32767\r\n\r\n`);
    assert.match(await refused, /^HTTP\/1\.0 403 Forbidden\r\n[\s\S]*another address/);
    client.close();

    const get = await rawConnect(server.port);
    const answer = readToEnd(get);
    get.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.match(await answer, /^HTTP\/1\.0 400 Bad Request\r\n[\s\S]*x-sessioncookie/);
  });

  it('closes the GET when the POST closes, and the POST when the GET closes', async () => {
    const first = await openTunnel(server.port, 'cookie-close-1', [64]);
    assert.equal((await first.client.request('OPTIONS', base)).status, 200);
    first.post.destroy();
    await until(() => first.client.closed, 'the GET connection to close');

    const second = await openTunnel(server.port, 'cookie-close-2', [64]);
    assert.equal((await second.client.request('OPTIONS', base)).status, 200);
    second.client.close();
    await closed(second.post);
  });

  it('closes the tunnel when the POST body is not base64, and refuses an oversized HTTP head (431)', async () => {
    const { client, post } = await openTunnel(server.port, 'cookie-garbage', [64]);
    post.write('not base64 at all!\r\n');
    await until(() => client.closed, 'the tunnel to close');
    post.destroy();

    const big = await rawConnect(server.port);
    const answer = readToEnd(big);
    big.write(`GET / HTTP/1.0\r\nx-sessioncookie: c\r\nX-Filler: ${'a'.repeat(9000)}`);
    assert.match(await answer, /^HTTP\/1\.0 431 /);
  });

  it('still serves plain RTSP on the port, even GET_PARAMETER sent one byte at a time', async () => {
    const client = await RawRtspClient.open(server.port);
    try {
      client.sendRequest = (text) => {
        for (const ch of text) client.socket.write(ch);
      };
      const reply = await client.request('GET_PARAMETER', base, {}, CREDENTIALS);
      assert.equal(reply.status, 200);
    } finally {
      client.close();
    }
  });
});
