import { expect } from 'chai';
import { completeBodyOf } from '../../../../src/bridges/http/response/complete-body.js';

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('http/response completeBodyOf', () => {
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
