/**
 * rr reads `Trailer` and `Http2-Push` from the response frame by exact key (roadrunner-server/http
 * v5.3.0 handler/response.go: `rsp.GetHeaders()[Trailer]`, `[HTTP2Push]`, and each name listed in
 * Trailer as `h[n]` after trimming spaces and tabs). These tests decode the frame the way rr's
 * protobuf map does (exact keys) and apply rr's lookups to it.
 */
import { expect } from 'chai';
import { decodeHttpResponse, encodeHttpResponse, type ValuesMap } from '../../../../src/bridges/http/proto/http-v1.js';
import { spellHeadersForRr } from '../../../../src/bridges/http/proto/spell-headers-for-rr.js';
import { streamResponse } from '../../../../src/bridges/http/response/index.js';
import { serveHttp } from '../response/http-harness.js';

/** What rr's handleProtoTrailers leaves: announced headers renamed `Trailer:<name>`, `Trailer` gone. */
function rrTrailers(headers: ValuesMap): ValuesMap {
  const h: ValuesMap = { ...headers };
  for (const value of h['Trailer'] ?? []) {
    for (const raw of value.split(',')) {
      const n = raw.replace(/^[\t ]+|[\t ]+$/g, '');
      if (n in h) {
        h[`Trailer:${n}`] = h[n]!;
        delete h[n];
      }
    }
  }
  delete h['Trailer'];
  return h;
}

describe('Trailer and Http2-Push reach rr spelled as it reads them', () => {
  it('encodes Fetch\'s lower-case trailer and http2-push as Trailer and Http2-Push, the announced names as their map keys', () => {
    const frame = encodeHttpResponse({
      status: 200,
      headers: { trailer: ['X-Checksum,\tX-Elapsed '], 'x-checksum': ['abc'], 'x-elapsed': ['12'], 'http2-push': ['/app.css', '/app.js'], 'content-type': ['text/plain'] },
    });
    const bytes = Buffer.from(frame).toString('latin1');
    expect(bytes).to.contain('Trailer').and.contain('Http2-Push').and.not.contain('trailer').and.not.contain('http2-push');
    const decoded = decodeHttpResponse(frame);
    expect({ ...decoded.headers }).to.deep.equal({
      Trailer: ['x-checksum, x-elapsed'],
      'x-checksum': ['abc'],
      'x-elapsed': ['12'],
      'Http2-Push': ['/app.css', '/app.js'],
      'content-type': ['text/plain'],
    });
    expect(rrTrailers(decoded.headers)).to.deep.equal({
      'Trailer:x-checksum': ['abc'],
      'Trailer:x-elapsed': ['12'],
      'Http2-Push': ['/app.css', '/app.js'],
      'content-type': ['text/plain'],
    });
  });

  it('before the fix rr found neither: the lower-case frame leaves every header where it was', () => {
    // The lookup rr does, on the keys Fetch gives: nothing moves (this is what the fix is for).
    expect(rrTrailers({ trailer: ['x-checksum'], 'x-checksum': ['abc'] })).to.deep.equal({ trailer: ['x-checksum'], 'x-checksum': ['abc'] });
  });

  it('matches an announced name to a key of any case, and keeps the map as it is when neither header is there', () => {
    expect({ ...spellHeadersForRr({ TRAILER: ['x-sum'], 'X-Sum': ['1'] }) }).to.deep.equal({ Trailer: ['X-Sum'], 'X-Sum': ['1'] });
    expect({ ...spellHeadersForRr({ trailer: ['X-Absent, , x-b'], 'x-b': ['2'] }) }).to.deep.equal({ Trailer: ['x-absent, x-b'], 'x-b': ['2'] });
    const plain: ValuesMap = { 'content-type': ['text/plain'], 'x-trailer': ['not it'] };
    expect(spellHeadersForRr(plain)).to.equal(plain);
  });

  it('applies to what sendResponse puts on the wire: a plain Response, one with Headers, and a streamed one', async () => {
    const responses = [
      () => new Response('checksummed', { headers: { Trailer: 'X-Checksum', 'X-Checksum': 'abc' } }),
      () => new Response('checksummed', { headers: new Headers([['Trailer', 'X-Checksum'], ['X-Checksum', 'abc']]) }),
      () => {
        const response = streamResponse(['check', 'summed']);
        response.headers.set('Trailer', 'X-Checksum');
        response.headers.set('X-Checksum', 'abc');
        return response;
      },
    ];
    for (const make of responses) {
      const server = serveHttp(make);
      try {
        const reply = await server.exchange('http://localhost/');
        expect(reply.body.toString()).to.equal('checksummed');
        expect(rrTrailers(reply.headers)).to.deep.include({ 'Trailer:x-checksum': ['abc'] }).and.not.have.property('x-checksum');
      } finally {
        await server.close();
      }
    }
  });
});
