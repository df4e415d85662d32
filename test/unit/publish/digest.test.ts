import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestAuthorization, parseDigestChallenge } from '../../../src/publish/http/digest.js';

// RFC 7616 §3.9.1: the worked example, for MD5 and SHA-256.
const CHALLENGES =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const USER = { username: 'Mufasa', password: 'Circle of Life' };

describe('HTTP Digest (RFC 7616)', () => {
  it('prefers SHA-256 among several challenges and computes the RFC example response', () => {
    const challenge = parseDigestChallenge(CHALLENGES)!;
    assert.equal(challenge.algorithm, 'SHA-256');
    assert.equal(challenge.qop, 'auth');
    const header = digestAuthorization(challenge, USER, { method: 'GET', uri: '/dir/index.html' }, 1, CNONCE);
    assert.match(header, /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
    assert.match(header, /nc=00000001/);
    assert.match(header, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
  });

  it('computes the RFC example MD5 response', () => {
    const md5 = parseDigestChallenge(CHALLENGES.split(', Digest ')[1]!.replace(/^/, 'Digest '))!;
    assert.equal(md5.algorithm, 'MD5');
    const header = digestAuthorization(md5, USER, { method: 'GET', uri: '/dir/index.html' }, 1, CNONCE);
    assert.match(header, /response="8ca523f5e9506fed4657c9700eebdbec"/);
  });

  it('ignores non-Digest challenges and reads stale=true', () => {
    assert.equal(parseDigestChallenge('Basic realm="x"'), undefined);
    assert.equal(parseDigestChallenge('Digest realm="r", nonce="n", stale=TRUE')!.stale, true);
  });
});
