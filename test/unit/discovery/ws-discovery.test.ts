import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ONVIF_TYPES, WSD, buildBye, buildHello, buildProbe, buildProbeMatches, parseDiscoveryMessage, probeMatches, scopesMatch, typesMatch } from '../../../src/discovery/index.js';
import { XmlRejectedError } from '../../../src/errors/index.js';
import { NS } from '../../../src/soap/index.js';

const target = {
  endpoint: 'urn:uuid:2419d68a-2dd2-21b2-a205-ec2a9b4d3c11',
  types: [ONVIF_TYPES.networkVideoTransmitter, ONVIF_TYPES.device],
  scopes: ['onvif://www.onvif.org/Profile/Streaming', 'onvif://www.onvif.org/hardware/D1-566', 'onvif://www.onvif.org/name/Cam%201'],
  xaddrs: ['http://127.0.0.1:8000/onvif/device_service'],
  metadataVersion: 3,
};

describe('WS-Discovery messages', () => {
  it('round-trips Probe, ProbeMatches, Hello and Bye through the parser', () => {
    const probe = parseDiscoveryMessage(buildProbe({ messageId: 'urn:uuid:p', types: [ONVIF_TYPES.device], scopes: ['onvif://www.onvif.org/Profile'] }));
    assert.deepEqual(probe, { kind: 'probe', messageId: 'urn:uuid:p', types: [{ uri: NS.tds, local: 'Device' }], scopes: ['onvif://www.onvif.org/Profile'], matchBy: undefined });
    const matches = parseDiscoveryMessage(buildProbeMatches({ relatesTo: 'urn:uuid:p', appSequence: { instanceId: 1, messageNumber: 2 }, matches: [target] }));
    assert.equal(matches?.kind, 'probeMatches');
    assert.equal(matches?.kind === 'probeMatches' && matches.relatesTo, 'urn:uuid:p');
    assert.deepEqual(matches?.kind === 'probeMatches' && matches.matches[0], {
      endpoint: target.endpoint,
      types: [{ uri: NS.dn, local: 'NetworkVideoTransmitter' }, { uri: NS.tds, local: 'Device' }],
      scopes: target.scopes,
      xaddrs: target.xaddrs,
      metadataVersion: 3,
    });
    const hello = parseDiscoveryMessage(buildHello({ target, appSequence: { instanceId: 1, messageNumber: 1 } }));
    assert.equal(hello?.kind === 'hello' && hello.endpoint, target.endpoint);
    assert.deepEqual(parseDiscoveryMessage(buildBye({ endpoint: target.endpoint, appSequence: { instanceId: 1, messageNumber: 3 }, messageId: 'urn:uuid:b' })), { kind: 'bye', messageId: 'urn:uuid:b', endpoint: target.endpoint });
  });

  it('parses by namespace, with the prefixes other stacks use (wsdd, SOAP-ENV, default namespaces)', () => {
    const xml = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap}" xmlns:wsa="${NS.wsa2004}" xmlns:wsdd="${NS.wsd}"><SOAP-ENV:Header><wsa:MessageID>urn:uuid:m</wsa:MessageID></SOAP-ENV:Header><SOAP-ENV:Body><Probe xmlns="${NS.wsd}"><Types xmlns:ns1="${NS.dn}">ns1:NetworkVideoTransmitter</Types><wsdd:Scopes MatchBy="${WSD.matchBy.strcmp0}">onvif://www.onvif.org/Profile/Streaming</wsdd:Scopes></Probe></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    const probe = parseDiscoveryMessage(xml);
    assert.deepEqual(probe, { kind: 'probe', messageId: 'urn:uuid:m', types: [{ uri: NS.dn, local: 'NetworkVideoTransmitter' }], scopes: ['onvif://www.onvif.org/Profile/Streaming'], matchBy: WSD.matchBy.strcmp0 });
    assert.ok(probe?.kind === 'probe' && probeMatches(probe, target));
  });

  it('ignores other SOAP messages and refuses garbage with an XML error, not a crash', () => {
    assert.equal(parseDiscoveryMessage(`<s:Envelope xmlns:s="${NS.soap}"><s:Body><x xmlns="urn:x"/></s:Body></s:Envelope>`), undefined);
    assert.throws(() => parseDiscoveryMessage(Buffer.from([0xde, 0xad, 0xbe, 0xef])), XmlRejectedError);
    assert.throws(() => parseDiscoveryMessage('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), XmlRejectedError);
  });
});

describe('WS-Discovery matching', () => {
  it('matches types by namespace and local name', () => {
    assert.ok(typesMatch([], target.types));
    assert.ok(typesMatch([{ uri: NS.dn, local: 'NetworkVideoTransmitter' }], target.types));
    assert.ok(!typesMatch([{ uri: 'urn:other', local: 'NetworkVideoTransmitter' }], target.types));
  });

  it('matches scopes by RFC 3986 path segments: .../hardware/D1 does not match .../hardware/D1-566', () => {
    assert.ok(scopesMatch(['onvif://www.onvif.org/Profile'], target.scopes));
    assert.ok(scopesMatch(['ONVIF://WWW.ONVIF.ORG/hardware/D1-566/'], target.scopes), 'scheme and authority are case-insensitive');
    assert.ok(!scopesMatch(['onvif://www.onvif.org/hardware/D1'], target.scopes));
    assert.ok(!scopesMatch(['onvif://www.onvif.org/profile/Streaming'], target.scopes), 'path segments are case-sensitive');
    assert.ok(scopesMatch(['onvif://www.onvif.org/Profile/Streaming'], target.scopes, WSD.matchBy.strcmp0));
    assert.ok(!scopesMatch(['onvif://www.onvif.org/Profile'], target.scopes, WSD.matchBy.strcmp0));
    assert.ok(!scopesMatch(['onvif://www.onvif.org/Profile'], target.scopes, 'http://example.com/unknown-rule'));
  });
});
