import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestClient, DigestServer, authenticateHeaders, digestResponse, parseChallenges, staticCredentials } from '../../../src/auth/index.js';
import { DigestChallengeError } from '../../../src/errors/index.js';

const users = staticCredentials([{ username: 'admin', password: 'secret' }]);

describe('HTTP Digest', () => {
  it('computes the RFC 2617 and RFC 7616 example responses', () => {
    // RFC 2617 §3.5
    assert.equal(
      digestResponse({ algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
      '6629fae49393a05397450978507c4ef1',
    );
    // RFC 7616 §3.9.1, SHA-256 then MD5
    const common = { username: 'Mufasa', realm: 'http-auth@example.org', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: 'auth' as const, nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };
    assert.equal(digestResponse({ ...common, algorithm: 'SHA-256' }), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    assert.equal(digestResponse({ ...common, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
  });

  it('parses several challenges, in one header or several (Hikvision sends MD5 and SHA-256)', () => {
    const raw = ['WWW-Authenticate', 'Digest qop="auth", realm="IP Camera", nonce="a1", stale="FALSE"', 'Content-Type', 'x', 'www-authenticate', 'Digest qop="auth", realm="IP Camera", nonce="a2", algorithm="SHA-256", stale="FALSE"'];
    const headers = authenticateHeaders(raw);
    assert.equal(headers.length, 2);
    const parsed = parseChallenges(['Basic realm="x", Digest realm="y, with comma", nonce="n\\"q"', ...headers]);
    assert.deepEqual(parsed.map((c) => c.scheme), ['basic', 'digest', 'digest', 'digest']);
    assert.equal(parsed[1]!.params.get('realm'), 'y, with comma');
    assert.equal(parsed[1]!.params.get('nonce'), 'n"q');
    const client = DigestClient.fromChallenges(headers, { username: 'u', password: 'p' });
    assert.equal(client.algorithm, 'SHA-256', 'the stronger algorithm is chosen');
  });

  it('lets a right password in, once per nonce count, with MD5 and SHA-256', () => {
    const server = new DigestServer({ realm: 'cam', credentials: users, algorithms: ['MD5', 'SHA-256'] });
    for (const challenge of server.challenge()) {
      const client = DigestClient.fromChallenges(challenge, { username: 'admin', password: 'secret' });
      const first = client.authorization('POST', '/onvif/device_service');
      assert.deepEqual(server.verify({ method: 'POST', uri: '/onvif/device_service', authorization: first }), { ok: true, username: 'admin', algorithm: client.algorithm });
      const replay = server.verify({ method: 'POST', uri: '/onvif/device_service', authorization: first });
      assert.equal(replay.ok, false);
      assert.equal(!replay.ok && replay.reason, 'replay');
      const second = client.authorization('POST', '/onvif/device_service');
      assert.equal(server.verify({ method: 'POST', uri: '/onvif/device_service', authorization: second }).ok, true, 'the next nc is accepted');
    }
  });

  it('accepts nonce counts out of order (parallel requests) but never twice', () => {
    const server = new DigestServer({ realm: 'cam', credentials: users });
    const client = DigestClient.fromChallenges(server.challenge(), { username: 'admin', password: 'secret' });
    const a = client.authorization('GET', '/x');
    const b = client.authorization('GET', '/x');
    assert.equal(server.verify({ method: 'GET', uri: '/x', authorization: b }).ok, true);
    assert.equal(server.verify({ method: 'GET', uri: '/x', authorization: a }).ok, true);
    assert.equal(server.verify({ method: 'GET', uri: '/x', authorization: a }).ok, false);
  });

  it('refuses a wrong password, an unknown user, a forged nonce, another resource and another realm', () => {
    const server = new DigestServer({ realm: 'cam', credentials: users });
    const reason = (authorization: string, uri = '/x') => {
      const r = server.verify({ method: 'GET', uri, authorization });
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(DigestClient.fromChallenges(server.challenge(), { username: 'admin', password: 'nope' }).authorization('GET', '/x')), 'wrong-password');
    assert.equal(reason(DigestClient.fromChallenges(server.challenge(), { username: 'root', password: 'secret' }).authorization('GET', '/x')), 'unknown-user');
    assert.equal(reason(DigestClient.fromChallenges('Digest realm="cam", nonce="forged", qop="auth"', { username: 'admin', password: 'secret' }).authorization('GET', '/x')), 'bad-nonce');
    assert.equal(reason(DigestClient.fromChallenges(server.challenge(), { username: 'admin', password: 'secret' }).authorization('GET', '/other'), '/x'), 'uri-mismatch');
    const otherRealm = server.challenge()[0]!.replace('realm="cam"', 'realm="elsewhere"');
    assert.equal(reason(DigestClient.fromChallenges(otherRealm, { username: 'admin', password: 'secret' }).authorization('GET', '/x')), 'realm-mismatch');
    assert.equal(reason('Basic YWRtaW46c2VjcmV0'), 'malformed');
    assert.equal(server.verify({ method: 'GET', uri: '/x', authorization: undefined }).ok, false);
  });

  it('says stale (not wrong) when a right answer uses an expired nonce', () => {
    let now = 1_000_000;
    const server = new DigestServer({ realm: 'cam', credentials: users, nonceLifetimeSeconds: 60, now: () => now });
    const client = DigestClient.fromChallenges(server.challenge(), { username: 'admin', password: 'secret' });
    now += 61_000;
    const r = server.verify({ method: 'GET', uri: '/x', authorization: client.authorization('GET', '/x') });
    assert.equal(!r.ok && r.reason, 'stale');
    assert.match(server.challenge({ stale: true })[0]!, /stale=true/);
    assert.equal(DigestClient.fromChallenges(server.challenge({ stale: true }), { username: 'admin', password: 'secret' }).stale, true);
  });

  it('accepts RFC 2069 answers without qop (GStreamer) and absolute RTSP URLs against a path', () => {
    const server = new DigestServer({ realm: 'cam', credentials: users });
    const challenge = server.challenge()[0]!.replace('qop="auth", ', '');
    const client = DigestClient.fromChallenges(challenge, { username: 'admin', password: 'secret' });
    const header = client.authorization('DESCRIBE', 'rtsp://127.0.0.1:8554/main');
    assert.doesNotMatch(header, /qop=/);
    assert.equal(server.verify({ method: 'DESCRIBE', uri: 'rtsp://127.0.0.1:8554/main/', authorization: header }).ok, true);
    const strict = new DigestServer({ realm: 'cam', credentials: users, allowWithoutQop: false });
    const h2 = DigestClient.fromChallenges(strict.challenge()[0]!.replace('qop="auth", ', ''), { username: 'admin', password: 'secret' }).authorization('GET', '/x');
    const r = strict.verify({ method: 'GET', uri: '/x', authorization: h2 });
    assert.equal(!r.ok && r.reason, 'qop-required');
  });

  it('supports -sess algorithms and auth-int', () => {
    const server = new DigestServer({ realm: 'cam', credentials: users, algorithms: ['MD5-sess', 'SHA-256-sess'] });
    for (const c of server.challenge()) {
      const client = DigestClient.fromChallenges(c, { username: 'admin', password: 'secret' });
      assert.equal(server.verify({ method: 'GET', uri: '/x', authorization: client.authorization('GET', '/x') }).ok, true);
    }
    const body = Buffer.from('<xml/>');
    const intServer = new DigestServer({ realm: 'cam', credentials: users });
    const challenge = intServer.challenge()[0]!.replace('qop="auth"', 'qop="auth-int"');
    const client = DigestClient.fromChallenges(challenge, { username: 'admin', password: 'secret' });
    const header = client.authorization('POST', '/x', body);
    assert.equal(intServer.verify({ method: 'POST', uri: '/x', authorization: header, body }).ok, true);
    assert.equal(intServer.verify({ method: 'POST', uri: '/x', authorization: client.authorization('POST', '/x', body), body: Buffer.from('<evil/>') }).ok, false, 'a changed body fails');
  });

  it('explains a challenge it cannot answer', () => {
    assert.throws(() => DigestClient.fromChallenges('Basic realm="cam"', { username: 'a', password: 'b', source: 'http://cam' }), (e: unknown) => {
      assert.ok(e instanceof DigestChallengeError);
      assert.match(e.message, /http:\/\/cam.*offered basic/);
      return true;
    });
    assert.throws(() => DigestClient.fromChallenges('Digest realm="x", nonce="n", algorithm=SHA-512-256', { username: 'a', password: 'b' }), DigestChallengeError);
    assert.throws(() => DigestClient.fromChallenges(undefined, { username: 'a', password: 'b' }), DigestChallengeError);
  });
});
