import { expect } from 'chai';
import { FrameFlag, StreamFlag } from '../../../../src/runtime/goridge/flags.js';
import { InvalidResponseHeaderError, InvalidResponseStatusError, ResponseStreamError } from '../../../../src/bridges/http/errors.js';
import { earlyHints } from '../../../../src/bridges/http/response/early-hints.js';
import { validateResponseHead } from '../../../../src/bridges/http/response/validate-response-head.js';
import { eventually, gate, readReply, serveHttp } from './http-harness.js';

const text = (value: string) => new TextEncoder().encode(value);

/** A response from a Fetch implementation that does not validate its headers (a polyfill, a hand-rolled object). */
function unvalidatedResponse(status: number, entries: Array<[string, string]>): Response {
  const headers = {
    forEach: (callback: (value: string, name: string) => void) => entries.forEach(([name, value]) => callback(value, name)),
    getSetCookie: () => [],
  };
  return { status, headers, body: null } as unknown as Response;
}

describe('sendResponse', () => {
  describe('header validation', () => {
    const refused: Array<[string, string, string]> = [
      ['x-evil', 'a\r\nSet-Cookie: session=stolen', 'U+000D'],
      ['x-lf', 'a\nb', 'U+000A'],
      ['x-nul', 'a\u0000b', 'U+0000'],
      ['x-wide', 'caf\u20ac', 'not Latin-1'],
      ['bad name', 'v', 'HTTP token'],
      ['x-split\r\nInjected', 'v', 'HTTP token'],
    ];
    for (const [name, value, reason] of refused) {
      it(`refuses ${JSON.stringify(name)}: ${JSON.stringify(value)} before any frame: an ERROR frame naming the header`, async () => {
        const server = serveHttp(() => unvalidatedResponse(200, [['content-type', 'text/plain'], [name, value]]));
        const reply = await server.exchange('http://localhost/');
        expect(reply.error).to.be.a('string');
        expect(reply.error).to.contain('InvalidResponseHeaderError').and.contain(JSON.stringify(name)).and.contain(reason);
        expect(reply.frames.some((frame) => frame.flags === FrameFlag.CODEC_PROTO)).to.equal(false);
        await eventually(() => server.unitErrors.length === 1, 2000, 'the error report');
        expect(server.unitErrors[0]).to.be.instanceOf(InvalidResponseHeaderError);
        expect((server.unitErrors[0] as InvalidResponseHeaderError).header).to.equal(name);
        await server.close();
      });
    }

    it('accepts tabs, Latin-1 and every token character', () => {
      expect(() => validateResponseHead(200, { "x-!#$%&'*+-.^_`|~09az": ['a\tb \u00e9\u00ff'] })).to.not.throw();
    });

    it('refuses a final status outside 200-599 and an informational one other than 100/102/103', async () => {
      for (const status of [99, 101, 103, 199, 600, 200.5, Number.NaN]) {
        expect(() => validateResponseHead(status, {}), String(status)).to.throw(InvalidResponseStatusError);
      }
      for (const status of [100, 102, 103]) expect(() => validateResponseHead(status, {}, 'informational')).to.not.throw();
      for (const status of [101, 104, 200]) expect(() => validateResponseHead(status, {}, 'informational')).to.throw(InvalidResponseStatusError);

      const server = serveHttp(() => unvalidatedResponse(600, []));
      const reply = await server.exchange('http://localhost/');
      expect(reply.error).to.contain('InvalidResponseStatusError').and.contain('600');
      await server.close();
    });
  });

  describe('framing', () => {
    it('sends a body that is complete at once as a single frame', async () => {
      const server = serveHttp(() => new Response('hello', { headers: { 'content-type': 'text/plain' } }));
      const reply = await server.exchange('http://localhost/');
      expect(reply.frames).to.have.length(1);
      expect(reply.body.toString()).to.equal('hello');
      await server.close();
    });

    it('sends strings and other views a hand-made ReadableStream enqueues, as UTF-8 bytes', async () => {
      const world = text('world!');
      const server = serveHttp(() => new Response(new ReadableStream<unknown>({
        start(controller) {
          controller.enqueue('héllo ');
          controller.enqueue(new DataView(world.buffer, 0, 3));
          controller.enqueue(world.buffer.slice(3));
          controller.close();
        },
      }) as ReadableStream<Uint8Array>));
      const reply = await server.exchange('http://localhost/');
      expect(reply.body.toString('utf8')).to.equal('héllo world!');
      await server.close();
    });

    it('sends the headers at once when the first chunk is empty (event streams), and skips later empty chunks', async () => {
      const held = gate();
      const server = serveHttp(() => new Response(ReadableStream.from((async function* () {
        yield new Uint8Array(0);
        await held.promise;
        yield new Uint8Array(0);
        yield text('data: 1\n\n');
      })()), { headers: { 'content-type': 'text/event-stream' } }));
      server.send('http://localhost/events');
      const [first] = await server.peer.waitForSent(1);
      expect(first!.streamFlags).to.equal(StreamFlag.STREAM);
      expect(first!.payload.length).to.equal(first!.options[0]);
      held.open();
      const reply = readReply(await server.waitForFinal(0));
      expect(reply.headers['content-type']).to.deep.equal(['text/event-stream']);
      expect(reply.frames).to.have.length(2);
      expect(reply.body.toString()).to.equal('data: 1\n\n');
      await server.close();
    });

    it('awaits every frame write: a stalled client holds the producer at one chunk of look-ahead', async () => {
      const held = gate();
      let produced = 0;
      const server = serveHttp(
        () => new Response(ReadableStream.from((async function* () {
          for (let i = 0; i < 100; i++) {
            produced += 1;
            yield text(`chunk ${i}\n`);
          }
        })())),
        { afterSend: (count) => (count === 1 ? held.promise : undefined) },
      );
      server.send('http://localhost/');
      await server.peer.waitForSent(1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      // The chunk being written and the one read ahead; ReadableStream.from pulls nothing more on its own.
      expect(produced).to.equal(2);
      held.open();
      const reply = readReply(await server.waitForFinal(0));
      expect(produced).to.equal(100);
      expect(reply.body.toString().split('\n')).to.have.length(101);
      await server.close();
    });
  });

  describe('body failures', () => {
    it('answers a body that fails before its first chunk with an ERROR frame (rr: 500)', async () => {
      const server = serveHttp(() => new Response(ReadableStream.from((async function* () {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('database down');
      })())));
      const reply = await server.exchange('http://localhost/');
      expect(reply.error).to.contain('database down');
      await server.close();
    });

    it('answers a body that fails right after its first chunk with an ERROR frame, not a truncated 200', async () => {
      const server = serveHttp(() => new Response(ReadableStream.from((async function* () {
        yield text('partial');
        throw new Error('boom');
      })())));
      const reply = await server.exchange('http://localhost/');
      expect(reply.error).to.contain('boom');
      await server.close();
    });

    it('ends the stream with one final frame, never a second status, when the body fails after the headers went out', async () => {
      const held = gate();
      const server = serveHttp(() => new Response(ReadableStream.from((async function* () {
        yield text('first ');
        await held.promise;
        yield text('second');
        throw new Error('disk on fire');
      })()), { status: 201 }));
      server.send('http://localhost/');
      await server.peer.waitForSent(1);
      held.open();
      const reply = readReply(await server.waitForFinal(0));
      expect(reply.status).to.equal(201);
      expect(reply.body.toString()).to.equal('first second');
      expect(reply.frames.at(-1)!.options).to.deep.equal([0]);
      expect(reply.frames.every((frame) => (frame.flags & FrameFlag.ERROR) === 0)).to.equal(true);
      await eventually(() => server.unitErrors.length === 1, 2000, 'the error report');
      const error = server.unitErrors[0] as ResponseStreamError;
      expect(error).to.be.instanceOf(ResponseStreamError);
      expect(error.bytesSent).to.equal('first second'.length);
      expect((error.cause as Error).message).to.equal('disk on fire');
      expect(server.logs.join('\n')).to.contain('disk on fire');
      // The worker keeps serving.
      expect((await server.exchange('http://localhost/next')).frames).to.have.length.greaterThan(0);
      await server.close();
    });

    it('answers with a final 500 when the body fails after early hints but before any final status', async () => {
      const server = serveHttp(async (_request, { unit }) => {
        await earlyHints(unit, { link: '</a.css>; rel=preload; as=style' });
        return new Response(ReadableStream.from((async function* () {
          await new Promise((resolve) => setTimeout(resolve, 2));
          throw new Error('late failure');
        })()));
      });
      const reply = await server.exchange('http://localhost/');
      expect(reply.hints.map((hint) => hint.status)).to.deep.equal([103]);
      expect(reply.status).to.equal(500);
      expect(reply.body.length).to.equal(0);
      await eventually(() => server.unitErrors.length === 1, 2000, 'the error report');
      expect((server.unitErrors[0] as Error).message).to.equal('late failure');
      await server.close();
    });

    it('refuses a chunk that is neither bytes nor a string', async () => {
      const server = serveHttp(() => new Response(new ReadableStream<unknown>({
        start(controller) {
          controller.enqueue({ not: 'bytes' });
          controller.close();
        },
      }) as ReadableStream<Uint8Array>));
      const reply = await server.exchange('http://localhost/');
      expect(reply.error).to.contain('TypeError').and.contain('Object');
      await server.close();
    });
  });

  describe('client abort', () => {
    it('cancels the body when rr stopped the unit before the response was sent (after hints)', async () => {
      let cancelled: unknown;
      let pulled = false;
      const stopped = gate();
      const server = serveHttp(async (_request, { unit }) => {
        await earlyHints(unit, { link: '</a.js>; rel=modulepreload' });
        await stopped.promise;
        return new Response(new ReadableStream<Uint8Array>({
          pull: () => void (pulled = true),
          cancel: (reason) => void (cancelled = reason ?? 'cancelled'),
        }, { highWaterMark: 0 }));
      });
      server.send('http://localhost/');
      await server.peer.waitForSent(1);
      server.peer.streamStop();
      await new Promise((resolve) => setTimeout(resolve, 5));
      stopped.open();
      const frames = await server.waitForFinal(0);
      expect(frames).to.have.length(2);
      expect(frames[1]!.payload.length).to.equal(0);
      expect(frames[1]!.flags).to.equal(FrameFlag.CODEC_PROTO);
      await eventually(() => cancelled !== undefined, 1000, 'the body to be cancelled');
      expect(pulled).to.equal(false);
      await server.close();
    });
  });
});
