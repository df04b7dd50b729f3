import { expect } from 'chai';
import { Readable } from 'node:stream';
import { StreamFlag } from '../../../../src/runtime/goridge/flags.js';
import { streamResponse } from '../../../../src/bridges/http/response/stream-response.js';
import { eventually, gate, readReply, serveHttp } from './http-harness.js';

describe('streamResponse', () => {
  it('sends each chunk of a generator function as its own frame, as it is produced', async () => {
    const step = [gate(), gate()];
    let started = false;
    const server = serveHttp(() =>
      streamResponse(async function* () {
        started = true;
        yield 'one,';
        await step[0]!.promise;
        yield new TextEncoder().encode('two,');
        await step[1]!.promise;
        yield 'three';
      }, { headers: { 'content-type': 'text/csv' } }),
    );
    server.send('http://localhost/');
    const [first] = await server.peer.waitForSent(1);
    expect(started).to.equal(true);
    expect(first!.streamFlags).to.equal(StreamFlag.STREAM);
    expect(first!.payload.subarray(first!.options[0]).toString()).to.equal('one,');
    step[0]!.open();
    const [, second] = await server.peer.waitForSent(2);
    expect(second!.payload.subarray(second!.options[0]).toString()).to.equal('two,');
    expect(second!.options).to.deep.equal([0]);
    step[1]!.open();
    const reply = readReply(await server.waitForFinal(0));
    expect(reply.headers['content-type']).to.deep.equal(['text/csv']);
    expect(reply.body.toString()).to.equal('one,two,three');
    await server.close();
  });

  it('does not start a generator function before the response is being sent', async () => {
    let started = false;
    const response = streamResponse(async function* () {
      started = true;
      yield 'x';
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started).to.equal(false);
    expect(await response.text()).to.equal('x');
    expect(started).to.equal(true);
  });

  it("runs the generator's finally when rr stops the stream (client abort), and sends one final frame", async () => {
    let finallyRan = false;
    let produced = 0;
    const server = serveHttp(() =>
      streamResponse(async function* () {
        try {
          for (;;) {
            produced += 1;
            yield `tick ${produced}\n`;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        } finally {
          finallyRan = true;
        }
      }),
    );
    server.send('http://localhost/');
    await server.peer.waitForSent(3);
    server.peer.streamStop();
    await eventually(() => finallyRan, 2000, 'the generator finally');
    const frames = await server.waitForFinal(0);
    expect(frames.at(-1)!.streamFlags).to.equal(0);
    const before = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).to.equal(before);
    expect(server.unitErrors).to.deep.equal([]);
    await server.close();
  });

  it('stops a generator blocked between chunks as soon as its pending step settles', async () => {
    const held = gate();
    let finallyRan = false;
    const server = serveHttp(() =>
      streamResponse(async function* () {
        try {
          yield 'first';
          await held.promise;
          yield 'never sent';
        } finally {
          finallyRan = true;
        }
      }),
    );
    server.send('http://localhost/');
    await server.peer.waitForSent(1);
    server.peer.streamStop();
    const frames = await server.waitForFinal(0);
    expect(frames).to.have.length(2);
    expect(finallyRan).to.equal(false);
    held.open();
    await eventually(() => finallyRan, 1000, 'the generator finally');
    await server.close();
  });

  it('accepts sync iterables, Node readables and ReadableStreams', async () => {
    const sources: Array<[string, () => Response]> = [
      ['array', () => streamResponse(['a', 'b', 'c'])],
      ['Readable', () => streamResponse(Readable.from(['a', 'b', 'c']))],
      ['ReadableStream', () => streamResponse(ReadableStream.from(['a', 'b', 'c']))],
    ];
    for (const [name, make] of sources) {
      const server = serveHttp(make);
      const reply = await server.exchange('http://localhost/');
      expect(reply.body.toString(), name).to.equal('abc');
      await server.close();
    }
  });

  it('passes status and headers through', async () => {
    const server = serveHttp(() => streamResponse(['x'], { status: 202, headers: [['x-a', '1'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] }));
    const reply = await server.exchange('http://localhost/');
    expect(reply.status).to.equal(202);
    expect(reply.headers['x-a']).to.deep.equal(['1']);
    expect(reply.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
    await server.close();
  });
});
