import { expect } from 'chai';
import { FrameFlag, StreamFlag } from '../../../../src/runtime/goridge/flags.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';
import { InvalidResponseHeaderError, InvalidResponseStatusError } from '../../../../src/bridges/http/errors.js';
import { decodeHttpResponse } from '../../../../src/bridges/http/proto/http-v1.js';
import { earlyHints } from '../../../../src/bridges/http/response/early-hints.js';
import { streamResponse } from '../../../../src/bridges/http/response/stream-response.js';
import { eventually, serveHttp } from './http-harness.js';

const PRELOAD_CSS = '</app.css>; rel=preload; as=style';
const PRELOAD_JS = '</app.js>; rel=modulepreload';

describe('earlyHints', () => {
  it('sends a 103 frame with the STREAM bit and an empty body, then the final response', async () => {
    const server = serveHttp(async (_request, { unit }) => {
      await earlyHints(unit, { link: [PRELOAD_CSS, PRELOAD_JS] });
      return new Response('<html>', { headers: { 'content-type': 'text/html' } });
    });
    const reply = await server.exchange('http://localhost/');
    expect(reply.frames).to.have.length(2);
    const [hint, final] = reply.frames;
    expect(hint!.flags).to.equal(FrameFlag.CODEC_PROTO);
    expect(hint!.streamFlags).to.equal(StreamFlag.STREAM);
    expect(hint!.payload.length).to.equal(hint!.options[0]);
    expect(decodeHttpResponse(hint!.payload)).to.deep.equal({ status: 103, headers: { link: [PRELOAD_CSS, PRELOAD_JS] } });
    expect(final!.flags).to.equal(FrameFlag.CODEC_PROTO);
    expect(final!.streamFlags).to.equal(0);
    expect(reply.status).to.equal(200);
    expect(reply.headers['content-type']).to.deep.equal(['text/html']);
    expect(reply.headers['link']).to.equal(undefined);
    expect(reply.body.toString()).to.equal('<html>');
    await server.close();
  });

  it('sends several hints in order, accepts Headers and pairs, and is followed by a streamed body', async () => {
    const server = serveHttp(async (_request, { unit }) => {
      await earlyHints(unit, new Headers({ link: PRELOAD_CSS }));
      await earlyHints(unit, [['Link', PRELOAD_JS], ['x-hint', '2']]);
      return streamResponse(['a', 'b'], { status: 201 });
    });
    const reply = await server.exchange('http://localhost/');
    expect(reply.hints).to.deep.equal([
      { status: 103, headers: { link: [PRELOAD_CSS] } },
      { status: 103, headers: { link: [PRELOAD_JS], 'x-hint': ['2'] } },
    ]);
    expect(reply.status).to.equal(201);
    expect(reply.body.toString()).to.equal('ab');
    expect(reply.frames.slice(0, -1).every((frame) => frame.streamFlags === StreamFlag.STREAM)).to.equal(true);
    await server.close();
  });

  it('refuses a hint header with CR/LF before sending anything', async () => {
    const server = serveHttp(async (_request, { unit }) => {
      await earlyHints(unit, { link: '</a.css>\r\nSet-Cookie: admin=1' });
      return new Response('unreachable');
    });
    const reply = await server.exchange('http://localhost/');
    expect(reply.error).to.contain('InvalidResponseHeaderError').and.contain('"link"');
    await eventually(() => server.unitErrors.length === 1, 2000, 'the error report');
    expect(server.unitErrors[0]).to.be.instanceOf(InvalidResponseHeaderError);
    await server.close();
  });

  it('refuses 101 and non-1xx statuses, and hints after the final response', async () => {
    const refusals: unknown[] = [];
    let late: unknown;
    const server = serveHttp(async (_request, { unit }) => {
      for (const status of [101, 200]) {
        await earlyHints(unit, { link: PRELOAD_CSS }, { status: status as 103 }).catch((error: unknown) => refusals.push(error));
      }
      await unit.respond();
      late = await earlyHints(unit, { link: PRELOAD_CSS }).then(() => 'sent', (error: unknown) => error);
      return new Response(null);
    });
    server.send('http://localhost/');
    const [frame] = await server.peer.waitForSent(1);
    expect(frame!.streamFlags).to.equal(0);
    await eventually(() => late !== undefined, 2000, 'the late hint');
    expect(refusals).to.have.length(2);
    for (const error of refusals) expect(error).to.be.instanceOf(InvalidResponseStatusError);
    expect(late).to.be.instanceOf(ProtocolError);
    expect(server.peer.sent).to.have.length(1);
    await server.close();
  });
});

describe('earlyHints followed by a throwing handler', () => {
  it('ends the reply with a 500, never an implicit empty 200', async () => {
    const server = serveHttp(async (_request, { unit }) => {
      await earlyHints(unit, { link: [PRELOAD_CSS] });
      throw new Error('failed after the hints');
    });
    const reply = await server.exchange('http://localhost/');
    expect(reply.frames).to.have.length(2);
    expect(reply.frames[0]!.streamFlags).to.equal(StreamFlag.STREAM);
    expect(reply.status).to.equal(500);
    expect(reply.frames[1]!.streamFlags).to.equal(0);
    await server.close();
  });
});
