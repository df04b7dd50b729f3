/** toRrHttpRequest: a Fetch Request as rr's http plugin describes it (handler/request.go). */
import { expect } from 'chai';
import { canonicalHeaderKey, toRrHttpRequest } from '../../src/testing/index.js';

describe('testing: toRrHttpRequest', () => {
  it("uses Go's canonical header names, moves Host into the uri and unescapes cookies", async () => {
    const { message, body } = await toRrHttpRequest(
      new Request('http://localhost/a/b?x=1&y=%20', { headers: { host: 'example.test:8080', 'x-request-id': 'r1', cookie: 'sid=a%2Bb+c; theme=dark' } }),
      { remoteAddr: '10.1.1.1' },
    );
    expect(message).to.deep.include({ method: 'GET', uri: 'http://example.test:8080/a/b?x=1&y=%20', rawQuery: 'x=1&y=%20', remoteAddr: '10.1.1.1', protocol: 'HTTP/1.1', parsed: false });
    expect(message.header).to.deep.equal({ 'X-Request-Id': ['r1'], Cookie: ['sid=a%2Bb+c; theme=dark'] });
    expect(message.cookies).to.deep.equal({ sid: ['a+b c'], theme: ['dark'] });
    expect(body).to.have.length(0);
    expect(canonicalHeaderKey('www-authenticate')).to.equal('Www-Authenticate');
  });

  it('sends HEAD and OPTIONS without a body, JSON raw, urlencoded parsed (empty for GET), and raw with rawBody', async () => {
    const head = await toRrHttpRequest(new Request('http://localhost/', { method: 'OPTIONS', body: 'x' }));
    expect(head.body).to.have.length(0);
    const json = await toRrHttpRequest(new Request('http://localhost/', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    expect([json.message.parsed, Buffer.from(json.body).toString()]).to.deep.equal([false, '{"a":1}']);
    const form = await toRrHttpRequest(new Request('http://localhost/', { method: 'POST', body: new URLSearchParams('a=1&a=2') }));
    expect([form.message.parsed, Buffer.from(form.body).toString()]).to.deep.equal([true, '{"a":"2"}']);
    const raw = await toRrHttpRequest(new Request('http://localhost/', { method: 'POST', body: new URLSearchParams('a=1') }), { rawBody: true });
    expect([raw.message.parsed, Buffer.from(raw.body).toString()]).to.deep.equal([false, 'a=1']);
  });
});
