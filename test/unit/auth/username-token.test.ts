import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsernameTokenVerifier, createUsernameToken, passwordDigest, staticCredentials, usernameTokenHeader } from '../../../src/auth/index.js';
import { NS, parseSoapEnvelope, serializeSoap, xmlNamespace, type XmlElement } from '../../../src/soap/index.js';

const users = staticCredentials([{ username: 'admin', password: 'userpassword' }]);

function header(xml: string): XmlElement | undefined {
  return parseSoapEnvelope(xml).header;
}

function tokenHeader(token: ReturnType<typeof createUsernameToken>): XmlElement | undefined {
  return header(serializeSoap(xmlNamespace('tds', NS.tds)('GetDeviceInformation'), usernameTokenHeader(token)));
}

describe('WS-Security UsernameToken', () => {
  it('computes the ONVIF Application Programmer Guide test vector', () => {
    assert.equal(passwordDigest(Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64'), '2010-09-16T07:50:45Z', 'userpassword'), 'tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  it('verifies the guide vector as sent, on a device whose clock matches', () => {
    const xml = `<s:Envelope xmlns:s="${NS.soap}"><s:Header><wsse:Security s:mustUnderstand="1" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}"><wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">LKqI6G/AikKCQrN0zqZFlg==</wsse:Nonce><wsu:Created>2010-09-16T07:50:45Z</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header><s:Body/></s:Envelope>`;
    const verifier = new UsernameTokenVerifier({ credentials: users, now: () => Date.parse('2010-09-16T07:51:00Z') });
    assert.deepEqual(verifier.verify(header(xml)), { ok: true, username: 'admin' });
    const again = verifier.verify(header(xml));
    assert.equal(!again.ok && again.reason, 'replay');
  });

  it('refuses a captured token sent again, but accepts a reused Nonce with a fresh Created (libonvif does that)', () => {
    const verifier = new UsernameTokenVerifier({ credentials: users });
    const nonce = Buffer.from('0123456789abcdef');
    const first = createUsernameToken({ username: 'admin', password: 'userpassword', nonce, now: () => Date.now() - 5 });
    assert.equal(verifier.verify(tokenHeader(first)).ok, true);
    const replay = verifier.verify(tokenHeader(first));
    assert.equal(!replay.ok && replay.reason, 'replay');
    const restamped = createUsernameToken({ username: 'admin', password: 'userpassword', nonce });
    assert.notEqual(restamped.created, first.created);
    assert.equal(verifier.verify(tokenHeader(restamped)).ok, true);
    const forged = { ...first, created: restamped.created };
    assert.equal(verifier.verify(tokenHeader(forged)).ok, false, 'a new Created without the password does not pass');
  });

  it('reads the token whatever the prefixes (agsh/onvif uses default namespaces)', () => {
    const t = createUsernameToken({ username: 'admin', password: 'userpassword' });
    const xml = `<s:Envelope xmlns:s="${NS.soap}"><s:Header><Security s:mustUnderstand="1" xmlns="${NS.wsse}"><UsernameToken><Username>admin</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${t.password}</Password><Nonce>${t.nonce}</Nonce><Created xmlns="${NS.wsu}">${t.created}</Created></UsernameToken></Security></s:Header><s:Body/></s:Envelope>`;
    assert.equal(new UsernameTokenVerifier({ credentials: users }).verify(header(xml)).ok, true);
  });

  it('shifts Created by the clock offset, and the device refuses tokens outside its clock window', () => {
    const deviceAhead = 3600_000;
    const verifier = new UsernameTokenVerifier({ credentials: users, now: () => Date.now() + deviceAhead });
    const naive = verifier.verify(tokenHeader(createUsernameToken({ username: 'admin', password: 'userpassword' })));
    assert.equal(naive.ok, false);
    assert.equal(!naive.ok && naive.reason, 'stale');
    assert.ok(!naive.ok && Math.abs((naive.skewSeconds ?? 0) + 3600) <= 2, 'the skew is reported for diagnosis');
    assert.equal(verifier.verify(tokenHeader(createUsernameToken({ username: 'admin', password: 'userpassword', clockOffsetMs: deviceAhead }))).ok, true);
    const behind = new UsernameTokenVerifier({ credentials: users, now: () => Date.now() - deviceAhead });
    const future = behind.verify(tokenHeader(createUsernameToken({ username: 'admin', password: 'userpassword' })));
    assert.equal(!future.ok && future.reason, 'future');
  });

  it('refuses wrong passwords, unknown users, missing nonce or created, and clear-text passwords', () => {
    const verifier = new UsernameTokenVerifier({ credentials: users });
    const reason = (h: XmlElement | undefined) => {
      const r = verifier.verify(h);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(tokenHeader(createUsernameToken({ username: 'admin', password: 'wrong' }))), 'wrong-password');
    assert.equal(reason(tokenHeader(createUsernameToken({ username: 'nobody', password: 'userpassword' }))), 'unknown-user');
    assert.equal(reason(undefined), 'missing');
    const noNonce = `<s:Envelope xmlns:s="${NS.soap}"><s:Header><wsse:Security xmlns:wsse="${NS.wsse}"><wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">x</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body/></s:Envelope>`;
    assert.equal(reason(header(noNonce)), 'no-nonce-or-created');
    const text = `<s:Envelope xmlns:s="${NS.soap}"><s:Header><wsse:Security xmlns:wsse="${NS.wsse}"><wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password>userpassword</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body/></s:Envelope>`;
    assert.equal(reason(header(text)), 'password-text-refused');
    assert.equal(new UsernameTokenVerifier({ credentials: users, allowPasswordText: true }).verify(header(text)).ok, true);
  });

  it('writes Created in UTC with milliseconds and a 16-byte nonce', () => {
    const t = createUsernameToken({ username: 'a', password: 'b', now: () => Date.UTC(2024, 4, 1, 12, 0, 0, 5) });
    assert.equal(t.created, '2024-05-01T12:00:00.005Z');
    assert.equal(Buffer.from(t.nonce, 'base64').length, 16);
  });
});
