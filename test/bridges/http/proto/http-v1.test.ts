import { expect } from 'chai';
import { decodeHttpRequest, decodeHttpResponse, encodeHttpRequest, encodeHttpResponse } from '../../../../src/bridges/http/proto/http-v1.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';

describe('http.v1 codec', () => {
  it('encodes http.v1.Response exactly as the reference vector', () => {
    const bytes = encodeHttpResponse({ status: 200, headers: { 'Content-Type': ['text/plain'] } });
    expect(Buffer.from(bytes).toString('hex')).to.equal('08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e');
  });

  it('round-trips every http.v1.Request field, multi-valued maps included', () => {
    const uploads = Buffer.from('{"f":{"name":"a.txt"}}');
    const message = decodeHttpRequest(
      encodeHttpRequest({
        remoteAddr: '10.0.0.1',
        protocol: 'HTTP/2.0',
        method: 'POST',
        uri: 'https://example.test/a?b=1',
        header: { Accept: ['text/html', 'application/json'], 'X-Latin': ['caf\u00e9'] },
        cookies: { sid: ['abc def'] },
        rawQuery: 'b=1',
        parsed: true,
        uploads,
        attributes: { 'rr.attr': ['x', 'y'] },
      }),
    );
    expect(message).to.deep.include({ remoteAddr: '10.0.0.1', protocol: 'HTTP/2.0', method: 'POST', uri: 'https://example.test/a?b=1', rawQuery: 'b=1', parsed: true });
    expect({ ...message.header }).to.deep.equal({ Accept: ['text/html', 'application/json'], 'X-Latin': ['caf\u00e9'] });
    expect({ ...message.cookies }).to.deep.equal({ sid: ['abc def'] });
    expect({ ...message.attributes }).to.deep.equal({ 'rr.attr': ['x', 'y'] });
    expect(Buffer.from(message.uploads!).equals(uploads)).to.equal(true);
  });

  it('keeps a header named __proto__ as an ordinary key', () => {
    const message = decodeHttpRequest(encodeHttpRequest({ method: 'GET', uri: 'http://x/', header: JSON.parse('{"__proto__":["polluted"]}') }));
    expect(Object.getPrototypeOf(message.header)).to.equal(null);
    expect(message.header['__proto__']).to.deep.equal(['polluted']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('decodes the status and headers rr reads back', () => {
    const decoded = decodeHttpResponse(encodeHttpResponse({ status: 404, headers: { 'set-cookie': ['a=1', 'b=2'] } }));
    expect(decoded.status).to.equal(404);
    expect({ ...decoded.headers }).to.deep.equal({ 'set-cookie': ['a=1', 'b=2'] });
  });

  it('throws a ProtocolError for malformed bytes', () => {
    expect(() => decodeHttpRequest(Uint8Array.from([0x0a, 0xff]))).to.throw(ProtocolError, /malformed http.v1.Request/);
  });
});
