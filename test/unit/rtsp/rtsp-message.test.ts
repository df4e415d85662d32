import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtspParser, buildSdp, formatResponse, parseTransport, type MediaTrack } from '../../../src/rtsp/index.js';

describe('RTSP messages', () => {
  it('parses pipelined requests split across chunks, with interleaved RTCP between them', () => {
    const parser = new RtspParser();
    const text = 'OPTIONS rtsp://h/main RTSP/1.0\r\nCSeq: 1\r\n\r\n';
    const frame = Buffer.from([0x24, 1, 0, 3, 9, 9, 9]);
    const second = 'SET_PARAMETER rtsp://h/main RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nhello';
    const all = Buffer.concat([Buffer.from(text), frame, Buffer.from(second)]);
    const items = [];
    for (let i = 0; i < all.length; i += 5) items.push(...parser.push(all.subarray(i, i + 5)));
    assert.deepEqual(items.map((i) => i.kind), ['request', 'interleaved', 'request']);
    const [a, b, c] = items;
    assert.equal(a?.kind === 'request' && a.request.headers.get('cseq'), '1');
    assert.equal(b?.kind === 'interleaved' && b.channel, 1);
    assert.equal(c?.kind === 'request' && c.request.body.toString(), 'hello');
  });

  it('refuses binary garbage, oversized headers and other protocols', () => {
    assert.equal(new RtspParser().push(Buffer.from([0x00, 0xff, 0x10, 0x20]))[0]?.kind, 'invalid');
    const big = new RtspParser({ maxHeaderBytes: 100 }).push(Buffer.from(`DESCRIBE rtsp://h/ RTSP/1.0\r\nX: ${'a'.repeat(200)}`));
    assert.equal(big[0]?.kind === 'invalid' && big[0].status, 400);
    const http = new RtspParser().push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    assert.equal(http[0]?.kind === 'invalid' && http[0].status, 505);
    const body = new RtspParser().push(Buffer.from('ANNOUNCE rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999\r\n\r\n'));
    assert.equal(body[0]?.kind === 'invalid' && body[0].status, 413);
  });

  it('reads Transport alternatives: interleaved TCP, UDP client ports, multicast', () => {
    assert.deepEqual(parseTransport('RTP/AVP/TCP;unicast;interleaved=0-1'), [{ protocol: 'RTP/AVP/TCP', lowerTransport: 'TCP', multicast: false, interleaved: [0, 1] }]);
    const [udp, mc] = parseTransport('RTP/AVP;unicast;client_port=5000-5001, RTP/AVP;multicast;destination=239.1.1.1');
    assert.deepEqual(udp!.clientPort, [5000, 5001]);
    assert.equal(udp!.lowerTransport, 'UDP');
    assert.equal(mc!.multicast, true);
    assert.deepEqual(parseTransport('RAW/RAW/UDP;unicast'), []);
  });

  it('writes responses with CSeq and Content-Length, and SDP with relative track controls', () => {
    const out = formatResponse({ status: 200, headers: [['Public', 'OPTIONS']], body: 'abc' }, '7', 'Vigie').toString();
    assert.match(out, /^RTSP\/1.0 200 OK\r\nCSeq: 7\r\n/);
    assert.match(out, /Content-Length: 3\r\n\r\nabc$/);
    const track = (kind: MediaTrack['kind'], pt: number, rtpmap: string): MediaTrack => ({
      kind,
      payloadType: pt,
      clockRate: 90000,
      sdpAttributes: () => [rtpmap],
      prepare: () => Promise.resolve(),
      acquire: () => undefined,
      release: () => undefined,
      subscribe: () => () => undefined,
      currentTimestamp: () => 0,
    });
    const sdp = buildSdp({ name: 'cam', tracks: [track('video', 96, 'a=rtpmap:96 H264/90000'), track('application', 107, 'a=rtpmap:107 vnd.onvif.metadata/90000')] }, { serverAddress: '127.0.0.1', sessionId: '1', version: 1 });
    assert.match(sdp, /a=control:\*\r\nm=video 0 RTP\/AVP 96\r\na=rtpmap:96 H264\/90000\r\na=control:trackID=0\r\nm=application 0 RTP\/AVP 107\r\na=rtpmap:107 vnd.onvif.metadata\/90000\r\na=control:trackID=1\r\n$/);
  });
});
