import { expect } from 'chai';
import { Readable } from 'node:stream';
import { jsonChunks } from '../../../../src/bridges/http/response/json-chunks.js';
import { jsonStreamResponse } from '../../../../src/bridges/http/response/json-stream-response.js';
import { eventually, readReply, serveHttp } from './http-harness.js';

async function encode(value: unknown, flushSize?: number): Promise<string> {
  let text = '';
  for await (const chunk of jsonChunks(value, { flushSize })) text += Buffer.from(chunk).toString('utf8');
  return text;
}

const item = (i: number) => ({ id: i, name: `item ${i}`, tags: ['a', i % 2 === 0 ? 'even' : 'odd'], price: i / 100, active: i % 3 === 0 ? null : true });

describe('jsonStreamResponse', () => {
  it('streams 100k generated items nested in an object: parse-equal, in bounded chunks, never far ahead of the client', async () => {
    const COUNT = 100_000;
    const FLUSH = 16 * 1024;
    let producedBytes = 0;
    /** Bytes item i adds to the output: its JSON plus a separating comma. */
    const itemBytes = (i: number) => Buffer.byteLength(JSON.stringify(item(i))) + 1;
    let lead = 0;
    let bytesSent = 0;

    const server = serveHttp(
      () =>
        jsonStreamResponse({
          total: Promise.resolve(COUNT),
          items: (async function* () {
            for (let i = 0; i < COUNT; i++) {
              producedBytes += itemBytes(i);
              yield item(i);
            }
          })(),
          done: true,
        }),
      {
        afterSend: (_count, frame) => {
          const parts = frame.payload as readonly Uint8Array[];
          bytesSent += parts[1]!.length;
          // Everything produced so far must already be (nearly) on the wire: at most the chunk read
          // ahead plus the one being gathered can be held in memory.
          lead = Math.max(lead, producedBytes - bytesSent);
        },
      },
    );
    const reply = await server.exchange('http://localhost/items');
    expect(reply.status).to.equal(200);
    expect(reply.headers['content-type']).to.deep.equal(['application/json']);
    const parsed = JSON.parse(reply.body.toString('utf8'));
    expect(parsed.total).to.equal(COUNT);
    expect(parsed.done).to.equal(true);
    expect(parsed.items).to.have.length(COUNT);
    expect(parsed.items[0]).to.deep.equal(item(0));
    expect(parsed.items[COUNT - 1]).to.deep.equal(item(COUNT - 1));
    expect(reply.body.toString('utf8')).to.equal(JSON.stringify({ total: COUNT, items: Array.from({ length: COUNT }, (_, i) => item(i)), done: true }));

    const largestItem = itemBytes(COUNT - 1);
    for (const frame of reply.frames) expect(frame.payload.length - frame.options[0]!).to.be.at.most(FLUSH + largestItem);
    expect(reply.frames.length).to.be.greaterThan(reply.body.length / (FLUSH + largestItem));
    expect(lead).to.be.at.most(2 * (FLUSH + largestItem));
    await server.close();
  });

  it('stops the generators feeding it when the client goes away (their finally runs)', async () => {
    let finallyRan = false;
    let produced = 0;
    const server = serveHttp(() =>
      jsonStreamResponse(
        (async function* () {
          try {
            for (;;) {
              produced += 1;
              yield { n: produced, padding: 'x'.repeat(100) };
              if (produced % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
            }
          } finally {
            finallyRan = true;
          }
        })(),
        { flushSize: 1024 },
      ),
    );
    server.send('http://localhost/');
    await server.peer.waitForSent(3);
    server.peer.streamStop();
    await eventually(() => finallyRan, 2000, 'the generator finally');
    const frames = await server.waitForFinal(0);
    expect(frames.at(-1)!.streamFlags).to.equal(0);
    const stoppedAt = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).to.equal(stoppedAt);
    await server.close();
  });

  it('keeps a Content-Type the caller set, and the status', async () => {
    const server = serveHttp(() => jsonStreamResponse([1, 2], { status: 201, headers: { 'content-type': 'application/vnd.api+json' } }));
    const reply = await server.exchange('http://localhost/');
    expect(reply.status).to.equal(201);
    expect(reply.headers['content-type']).to.deep.equal(['application/vnd.api+json']);
    expect(readReply(reply.frames).body.toString()).to.equal('[1,2]');
    await server.close();
  });
});

describe('jsonChunks', () => {
  it('writes plain values exactly as JSON.stringify does', async () => {
    const values: unknown[] = [
      null,
      true,
      0,
      -1.5e-7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'quote " backslash \\ newline \n unicode é \u2028 emoji 😀',
      [],
      {},
      [1, 'two', [3, [4]], { five: 5 }],
      { a: undefined, b: () => 1, c: Symbol('s'), d: 1, e: [undefined, () => 1, Symbol('t')] },
      { date: new Date('2024-01-02T03:04:05.678Z'), custom: { toJSON: (key: string) => `key was ${key}` } },
      { nested: { deep: { deeper: [{ x: 1 }, { y: [true, false, null] }] } }, '': 'empty key', 'ü': 'unicode key' },
      Buffer.from('hi'),
      new Array(3),
    ];
    for (const value of values) {
      expect(await encode(value), JSON.stringify(value)).to.equal(JSON.stringify(value));
    }
  });

  it('gives null for a top-level value JSON has no form for', async () => {
    expect(await encode(undefined)).to.equal('null');
    expect(await encode(() => 1)).to.equal('null');
  });

  it('writes iterables and async iterables as arrays and awaits promises, at any depth', async () => {
    async function* rows() {
      yield { id: 1, score: Promise.resolve(10) };
      yield { id: 2, tags: new Set(['a', 'b']) };
    }
    const value = {
      count: Promise.resolve(2),
      rows: rows(),
      sync: (function* () {
        yield 1;
        yield undefined;
      })(),
      map: new Map([['k', 'v']]),
      stream: ReadableStream.from([1, 2]),
      readable: Readable.from([{ r: 1 }]),
      empty: (async function* () {})(),
      later: Promise.resolve({ inner: Promise.resolve([Promise.resolve('deep')]) }),
      dropped: Promise.resolve(undefined),
      // Small plain-looking objects hiding a thenable or an own iterator are still walked, not stringified.
      small: { thenable: { then: (resolve: (value: string) => void) => resolve('t') }, own: { *[Symbol.iterator]() { yield 'i'; } } },
    };
    expect(JSON.parse(await encode(value))).to.deep.equal({
      count: 2,
      rows: [{ id: 1, score: 10 }, { id: 2, tags: ['a', 'b'] }],
      sync: [1, null],
      map: [['k', 'v']],
      stream: [1, 2],
      readable: [{ r: 1 }],
      empty: [],
      later: { inner: ['deep'] },
      small: { thenable: 't', own: ['i'] },
    });
  });

  it('hands out chunks of about flushSize, and the concatenation is the whole document', async () => {
    const value = Array.from({ length: 2000 }, (_, i) => ({ i, s: 'abcdefghij' }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of jsonChunks(value, { flushSize: 1000 })) chunks.push(chunk);
    expect(chunks.length).to.be.greaterThan(20);
    for (const chunk of chunks) expect(chunk.length).to.be.at.most(1000 + 40);
    expect(Buffer.concat(chunks).toString()).to.equal(JSON.stringify(value));
  });

  it('throws a TypeError for a cycle or a BigInt, like JSON.stringify', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const value of [cyclic, { n: 10n }, [1n]]) {
      const error = await encode(value).then(() => undefined, (caught: unknown) => caught);
      expect(error, String(value)).to.be.instanceOf(TypeError);
    }
    // A repeated (not cyclic) reference is fine.
    const shared = { x: 1 };
    expect(await encode({ a: shared, b: shared })).to.equal('{"a":{"x":1},"b":{"x":1}}');
  });

  it('closes open iterators when a producer fails, and propagates the error', async () => {
    let outerClosed = false;
    async function* outer() {
      try {
        yield 1;
        yield (async function* () {
          yield 2;
          throw new Error('inner failed');
        })();
        yield 3;
      } finally {
        outerClosed = true;
      }
    }
    const error = await encode([outer()]).then(() => undefined, (caught: unknown) => caught);
    expect((error as Error).message).to.equal('inner failed');
    await eventually(() => outerClosed, 1000, 'the outer generator to close');
  });
});
