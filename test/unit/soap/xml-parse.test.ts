import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlRejectedError } from '../../../src/errors/index.js';
import { NS, parseXml } from '../../../src/soap/index.js';

function rejection(fn: () => unknown): XmlRejectedError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof XmlRejectedError, `expected XmlRejectedError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the document to be refused');
}

describe('safe XML parsing', () => {
  it('finds elements by namespace URI whatever the prefixes (prefixed, default namespace, redeclared)', () => {
    const docs = [
      `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.tds}"><s:Body><tds:GetDeviceInformation/></s:Body></s:Envelope>`,
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap}"><SOAP-ENV:Body><GetDeviceInformation xmlns="${NS.tds}"/></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      `<Envelope xmlns="${NS.soap}"><Body><x:GetDeviceInformation xmlns:x="${NS.tds}"/></Body></Envelope>`,
    ];
    for (const doc of docs) {
      const root = parseXml(doc);
      assert.ok(root.is(NS.soap, 'Envelope'));
      const op = root.child(NS.soap, 'Body')?.children[0];
      assert.equal(op?.uri, NS.tds);
      assert.equal(op?.local, 'GetDeviceInformation');
    }
    // Same local name in another namespace is a different element.
    const other = parseXml(`<s:Envelope xmlns:s="urn:not-soap"><s:Body/></s:Envelope>`);
    assert.equal(other.child(NS.soap, 'Body'), undefined);
  });

  it('resolves QNames in text with the declarations in scope', () => {
    const root = parseXml(`<d:Probe xmlns:d="${NS.wsd}" xmlns:x="${NS.dn}"><d:Types xmlns:y="${NS.tds}">x:NetworkVideoTransmitter y:Device z:Unknown</d:Types></d:Probe>`);
    const types = root.child(NS.wsd, 'Types')!;
    assert.deepEqual(types.resolveQNameList(types.text), [
      { uri: NS.dn, local: 'NetworkVideoTransmitter' },
      { uri: NS.tds, local: 'Device' },
    ]);
  });

  it('keeps text, CDATA, entities and attributes by namespace', () => {
    const root = parseXml(`<a xmlns:p="urn:p" p:k="1" k="2">x &amp; y <![CDATA[<raw>]]> &#233;</a>`);
    assert.equal(root.text, 'x & y <raw> é');
    assert.equal(root.attribute('k', 'urn:p'), '1');
    assert.equal(root.attribute('k'), '2');
  });

  it('refuses DOCTYPE and entity declarations (no XXE, no billion laughs)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    assert.equal(rejection(() => parseXml(laughs)).reason, 'doctype');
    const xxe = `<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`;
    const e = rejection(() => parseXml(xxe));
    assert.equal(e.reason, 'doctype');
    assert.match(e.describe(), /fix: DOCTYPE and entity declarations are refused/);
  });

  it('refuses oversized, too deep, malformed, empty and multi-root documents with the reason', () => {
    assert.equal(rejection(() => parseXml(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1000 })).reason, 'too-large');
    assert.equal(rejection(() => parseXml(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`)).reason, 'too-deep');
    assert.equal(rejection(() => parseXml('<a><b></a>')).reason, 'malformed');
    assert.equal(rejection(() => parseXml('<a>')).reason, 'malformed');
    assert.equal(rejection(() => parseXml('<p:a/>')).reason, 'malformed', 'an unbound prefix is an error');
    assert.equal(rejection(() => parseXml('<a/><b/>')).reason, 'malformed');
    assert.equal(rejection(() => parseXml('   ')).reason, 'empty');
    assert.equal(rejection(() => parseXml(Buffer.from([0x00, 0xff, 0x13, 0x37]))).reason, 'malformed');
    assert.equal(rejection(() => parseXml(`<a>${'<b/>'.repeat(20)}</a>`, { maxElements: 10 })).reason, 'too-many-elements');
  });

  it('decodes UTF-8 with BOM, UTF-16 with BOM and declared ISO-8859-1; refuses other declared encodings', () => {
    assert.equal(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>')])).text, 'é');
    assert.equal(parseXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>é</a>', 'utf16le')])).text, 'é');
    assert.equal(parseXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', 'latin1')).text, 'é');
    assert.equal(rejection(() => parseXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC"?><a/>'))).reason, 'encoding');
  });
});
