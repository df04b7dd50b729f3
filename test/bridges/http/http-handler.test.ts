import { expect } from 'chai';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { createHttpHandler, type FetchHandler } from '../../../src/bridges/http/http-handler.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../../src/bridges/http/proto/http-v1.js';
import { MemoryPeer } from '../../support/memory-peer.js';

function serve(fetch: FetchHandler) {
  const peer = new MemoryPeer();
  const done = new Worker({ transport: peer.transport, handler: createHttpHandler(fetch), log: () => {} }).run();
  const send = (uri: string, init: { method?: string; header?: Record<string, string[]>; body?: string } = {}) =>
    peer.request(encodeHttpRequest({ method: init.method ?? 'GET', uri, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header: init.header ?? {} }), init.body ?? '', FrameFlag.CODEC_PROTO);
  return { peer, done, send };
}

const ctxOf = (frame: { options: number[]; payload: Buffer }) => decodeHttpResponse(frame.payload.subarray(0, frame.options[0]));
const bodyOf = (frame: { options: number[]; payload: Buffer }) => frame.payload.subarray(frame.options[0]).toString();

describe('createHttpHandler', () => {
  it('maps the rr request to a Fetch Request and a buffered Response to one 0x80 frame', async () => {
    const { peer, done, send } = serve(async (request) => {
      const body = await request.text();
      return new Response(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('x-a')} ${body}`, {
        status: 201,
        headers: [['x-multi', 'a'], ['x-multi', 'b'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']],
      });
    });
    send('http://localhost:8080/path?q=1', { method: 'POST', header: { 'X-A': ['1', '2'] }, body: 'hello' });
    const [frame] = await peer.waitForSent(1);
    expect(frame!.flags).to.equal(FrameFlag.CODEC_PROTO);
    expect(frame!.streamFlags).to.equal(0);
    const ctx = ctxOf(frame!);
    expect(ctx.status).to.equal(201);
    expect(ctx.headers['x-multi']).to.deep.equal(['a, b']);
    expect(ctx.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
    expect(bodyOf(frame!)).to.equal('POST /path 1, 2 hello');
    peer.end();
    await done;
  });

  it('sends the first chunk of a generator stream before the generator finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { peer, done, send } = serve(() => {
      async function* body() {
        yield new TextEncoder().encode('first');
        await gate;
        yield new TextEncoder().encode('second');
      }
      return new Response(ReadableStream.from(body()), { headers: { 'content-type': 'text/plain' } });
    });
    send('http://localhost/stream');
    const [first] = await peer.waitForSent(1);
    expect(first!.streamFlags & StreamFlag.STREAM).to.equal(StreamFlag.STREAM);
    expect(ctxOf(first!).status).to.equal(200);
    expect(bodyOf(first!)).to.equal('first');
    release();
    const frames = await peer.waitForSent(2);
    expect(bodyOf(frames[1]!)).to.equal('second');
    expect(frames[1]!.streamFlags).to.equal(0);
    expect(frames[1]!.options).to.deep.equal([0]);
    peer.end();
    await done;
  });

  it('cancels the body on STOP: the generator finally runs and the stream is closed with one final frame', async () => {
    let finallyRan = false;
    const { peer, done, send } = serve((request) => {
      async function* body() {
        try {
          for (let i = 0; ; i++) {
            yield new TextEncoder().encode(`chunk ${i}\n`);
            await new Promise((r) => setTimeout(r, 2));
          }
        } finally {
          finallyRan = true;
        }
      }
      expect(request.signal.aborted).to.equal(false);
      return new Response(ReadableStream.from(body()));
    });
    send('http://localhost/forever');
    await peer.waitForSent(3);
    peer.streamStop();
    await new Promise((r) => setTimeout(r, 30));
    expect(finallyRan).to.equal(true);
    const last = peer.sent.at(-1)!;
    expect(last.streamFlags & StreamFlag.STREAM).to.equal(0);
    expect(last.flags).to.equal(FrameFlag.CODEC_PROTO);
    peer.end();
    await done;
  });

  it('answers a throwing fetch handler with an ERROR frame (rr turns it into a 500)', async () => {
    const { peer, done, send } = serve(() => {
      throw new Error('no route');
    });
    send('http://localhost/');
    const [frame] = await peer.waitForSent(1);
    expect(frame!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(frame!.payload.toString()).to.contain('no route');
    peer.end();
    await done;
  });
});
