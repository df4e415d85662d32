import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlBuildError } from '../../../src/errors/index.js';
import { NS, parseXml, qnames, serializeSoap, serializeXml, soapNs, unqualified, xmlNamespace } from '../../../src/soap/index.js';

const tt = xmlNamespace('tt', NS.tt);

describe('XML builder', () => {
  it('builds unqualified elements (no prefix, no namespace) and still refuses invalid names', () => {
    const wstop = xmlNamespace('wstop', 'http://docs.oasis-open.org/wsn/t-1');
    const xml = serializeXml(wstop('TopicSet', unqualified('RuleEngine', {}, [wstop.attr('topic', true), unqualified('Child')])), { declaration: false });
    assert.match(xml, /<wstop:TopicSet xmlns:wstop="[^"]+"><RuleEngine wstop:topic="true"><Child\/><\/RuleEngine><\/wstop:TopicSet>/);
    const child = parseXml(xml).find(['', 'RuleEngine'], ['', 'Child']);
    assert.ok(child, 'the unqualified children parse in no namespace');
    assert.throws(() => unqualified('1bad'), XmlBuildError);
  });

  it('escapes every text and attribute value, so values cannot inject markup', () => {
    const hostile = `</tt:Name><tt:Evil a="1"/>&amp; "quoted" 'single' <!-- -->`;
    const xml = serializeXml(tt('Name', { token: hostile }, hostile), { declaration: false });
    assert.doesNotMatch(xml, /<tt:Evil/);
    const parsed = parseXml(xml);
    assert.equal(parsed.children.length, 0, 'no element was injected');
    assert.equal(parsed.text, hostile);
    assert.equal(parsed.attribute('token'), hostile);
  });

  it('keeps whitespace in attributes and replaces characters XML cannot carry', () => {
    const xml = serializeXml(tt('Name', { v: 'a\tb\nc\rd' }, 'bell\u0007 nul\u0000 ok\u00e9\u{1F600}'), { declaration: false });
    const parsed = parseXml(xml);
    assert.equal(parsed.attribute('v'), 'a\tb\nc\rd');
    assert.equal(parsed.text, 'bell\uFFFD nul\uFFFD ok\u00e9\u{1F600}');
  });

  it('declares every namespace used, including those of QName text, on the root', () => {
    const ter = xmlNamespace('ter', NS.ter);
    const xml = serializeSoap(soapNs('Fault', [soapNs('Code', soapNs('Value', qnames(ter.qname('NotAuthorized'))))]));
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><s:Envelope xmlns:s="[^"]+" xmlns:ter="http:\/\/www.onvif.org\/ver10\/error">/);
    const value = parseXml(xml).find([NS.soap, 'Body'], [NS.soap, 'Fault'], [NS.soap, 'Code'], [NS.soap, 'Value'])!;
    assert.deepEqual(value.resolveQName(value.text), { uri: NS.ter, local: 'NotAuthorized' });
  });

  it('refuses invalid names and a prefix bound to two namespaces (programming errors)', () => {
    assert.throws(() => tt('bad name'), XmlBuildError);
    const other = xmlNamespace('tt', 'urn:other');
    assert.throws(() => serializeXml(tt('A', other('B'))), XmlBuildError);
  });

  it('skips null and undefined children and renders numbers and booleans', () => {
    const xml = serializeXml(tt('A', [null, undefined, tt('B', 3), tt('C', true), tt('D', false), 'x']), { declaration: false });
    assert.equal(xml, `<tt:A xmlns:tt="${NS.tt}"><tt:B>3</tt:B><tt:C>true</tt:C><tt:D>false</tt:D>x</tt:A>`);
  });
});
