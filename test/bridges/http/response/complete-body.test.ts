import { expect } from 'chai';
import { completeBodyOf, completeBodyProbeFound } from '../../../../src/bridges/http/response/complete-body.js';

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('http/response completeBodyOf', () => {
  // The fast path reads undici internals: when a Node upgrade changes them, the answers stay right
  // (bodies are read from their streams) and only get slower, so this test is what says so.
  it("finds undici's internal body slot on this Node, holding what it expects", () => {
    const where = `Node ${process.version}, undici ${process.versions['undici'] ?? '?'}`;
    expect(completeBodyProbeFound, `${where}: a Response has no 'state' symbol any more, so every response body is read from its stream (slower): update src/bridges/http/response/complete-body.ts`).to.equal(true);
    expect(
      text(completeBodyOf(new Response('probe'))),
      `${where}: the 'state' slot no longer holds body.{stream, source, length} as complete-body.ts expects, so every response body is read from its stream (slower): update it`,
    ).to.equal('probe');
  });

  it('takes the source of a string, bytes, ArrayBuffer or Response.json body, leaving the stream unread', async () => {
    const fromString = new Response('Grüße');
    expect(text(completeBodyOf(fromString))).to.equal('Grüße');
    expect(fromString.bodyUsed).to.equal(false);
    expect(await fromString.text(), 'the stream still holds the body').to.equal('Grüße');

    expect(text(completeBodyOf(new Response(new Uint8Array([104, 105]))))).to.equal('hi');
    expect(text(completeBodyOf(new Response(new TextEncoder().encode('buf').buffer)))).to.equal('buf');
    expect(text(completeBodyOf(Response.json({ a: [1, 2] })))).to.equal('{"a":[1,2]}');
    expect(text(completeBodyOf(new Response(new URLSearchParams({ q: 'a b' }))))).to.equal('q=a+b');
  });

  it('answers undefined for a body that must be read: a stream, a Blob, one already read or locked', async () => {
    expect(completeBodyOf(new Response(new ReadableStream({ start: (c) => c.close() })))).to.equal(undefined);
    expect(completeBodyOf(new Response(new Blob(['blob'])))).to.equal(undefined);
    const read = new Response('read');
    await read.text();
    expect(completeBodyOf(read)).to.equal(undefined);
    const locked = new Response('locked');
    locked.body!.getReader();
    expect(completeBodyOf(locked)).to.equal(undefined);
  });

  it('answers undefined for something that only looks like a Response', () => {
    const lookalike = { body: new ReadableStream(), bodyUsed: false } as unknown as Response;
    expect(completeBodyOf(lookalike)).to.equal(undefined);
  });
});
