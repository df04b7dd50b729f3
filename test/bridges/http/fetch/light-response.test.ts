import { expect } from 'chai';
import { installLightResponse, LIGHT_RESPONSES, LightResponse, NativeResponse } from '../../../../src/bridges/http/fetch/light-response.js';

const Light = LightResponse as unknown as typeof Response;

/** Everything observable about a response, read the public way. */
async function observe(response: Response) {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    type: response.type,
    url: response.url,
    redirected: response.redirected,
    headers: [...response.headers],
    text: await response.text(),
    bodyUsed: response.bodyUsed,
  };
}

describe('http/fetch LightResponse', () => {
  it('is accepted by this Node’s undici (else the global is never replaced: a Node upgrade that changes undici fails here)', () => {
    expect(LIGHT_RESPONSES).to.equal(true);
  });

  it('answers exactly as undici’s Response for the bodies and inits it takes itself', async () => {
    const cases: Array<[unknown, ResponseInit | undefined]> = [
      ['Hello', undefined],
      ['Grüße', { status: 201, statusText: 'Made', headers: { 'X-A': ' padded\t', 'Content-Type': 'text/html' } }],
      [new Uint8Array([104, 105]), { headers: { 'set-cookie': 'a=1' } }],
      [Buffer.from('buffer'), undefined],
      [new TextEncoder().encode('ab').buffer, { status: 404 }],
      [null, { status: 204 }],
      [undefined, undefined],
      ['', { headers: {} }],
    ];
    for (const [body, init] of cases) {
      const light = new Light(body as string, init);
      expect(LightResponse.partsOf(light), 'taken without undici').to.not.equal(undefined);
      expect(await observe(light)).to.deep.equal(await observe(new NativeResponse(body as string, init)));
    }
    expect(await observe(Light.json({ a: [1, 2] }, { status: 202, headers: { 'x-b': '2' } }))).to.deep.equal(
      await observe(NativeResponse.json({ a: [1, 2] }, { status: 202, headers: { 'x-b': '2' } })),
    );
  });

  it('leaves everything else to undici’s Response, errors included', async () => {
    const stream = () => new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) });
    const others: Array<[unknown, ResponseInit | undefined]> = [
      [stream(), undefined],
      [new Blob(['blob'], { type: 'text/x-blob' }), undefined],
      [new URLSearchParams({ q: 'a b' }), undefined],
      ['pairs', { headers: [['x-pair', '1'], ['x-pair', '2']] }],
      ['headers', { headers: new Headers({ 'x-h': '1' }) }],
      ['odd status', { status: 200.5 }],
    ];
    for (const [body, init] of others) {
      const light = new Light(body as string, init);
      expect(LightResponse.partsOf(light), 'held as undici’s').to.equal(undefined);
      const fresh = body instanceof ReadableStream ? stream() : body;
      expect(await observe(light)).to.deep.equal(await observe(new NativeResponse(fresh as string, init)));
    }
    for (const init of [{ status: 99 }, { status: 600 }, { statusText: 'bad\n' }, { headers: { 'bad name': 'x' } }, { headers: { 'x-v': 'a\nb' } }] as ResponseInit[]) {
      expect(() => new Light('x', init)).to.throw(Error).that.satisfies((error: Error) => {
        let native: Error | undefined;
        try {
          new NativeResponse('x', init);
        } catch (caught) {
          native = caught as Error;
        }
        return native !== undefined && error.constructor === native.constructor && error.message === native.message;
      });
    }
    expect(() => new Light('body', { status: 204 })).to.throw(TypeError);
    expect(() => Light.json(undefined)).to.throw(TypeError);
  });

  it('reads once, clones, streams its body and passes through undici’s own methods', async () => {
    const response = new Light('once');
    expect(await response.text()).to.equal('once');
    expect(response.bodyUsed).to.equal(true);
    let second: unknown;
    await response.text().catch((caught: unknown) => (second = caught));
    expect(second).to.be.instanceOf(TypeError);
    expect(() => response.clone()).to.throw(TypeError);

    const original = new Light('twice', { headers: { 'x-c': '1' } });
    const clone = original.clone();
    expect(clone.headers.get('x-c')).to.equal('1');
    expect(await clone.text()).to.equal('twice');
    expect(await original.text()).to.equal('twice');

    expect(await NativeResponse.prototype.text.call(new Light('via undici'))).to.equal('via undici');
    const body = new Light('streamed').body!;
    expect(body).to.be.instanceOf(ReadableStream);
    expect(await new NativeResponse(body).text()).to.equal('streamed');
    expect(await new Light(new Uint8Array([1, 2])).arrayBuffer()).to.deep.equal(new Uint8Array([1, 2]).buffer);
    expect(await new Light('{"j":1}').json()).to.deep.equal({ j: 1 });
  });

  it('copies bytes as undici does: changing them afterwards changes nothing', async () => {
    const bytes = new Uint8Array([97, 98]);
    const response = new Light(bytes);
    bytes[0] = 122;
    expect(await response.text()).to.equal('ab');
  });

  it('sends headers changed after construction', () => {
    const response = new Light('x', { headers: { 'x-a': '1' } });
    response.headers.set('x-a', '2');
    response.headers.append('set-cookie', 'a=1');
    response.headers.append('set-cookie', 'b=2');
    const parts = LightResponse.partsOf(response)!;
    expect(parts.headers['x-a']).to.deep.equal(['2']);
    expect(parts.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
    expect(parts.headers['content-type']).to.deep.equal(['text/plain;charset=UTF-8']);
  });

  describe('as globalThis.Response', () => {
    let saved: typeof Response;
    before(() => {
      saved = globalThis.Response;
      expect(installLightResponse()).to.equal(true);
    });
    after(() => {
      globalThis.Response = saved;
    });

    it('is what new Response() and Response.json() make, and undici’s responses are still instanceof Response', async () => {
      expect(globalThis.Response).to.equal(LightResponse);
      expect(LightResponse.partsOf(new Response('light'))).to.not.equal(undefined);
      expect(LightResponse.partsOf(Response.json({}))).to.not.equal(undefined);
      const fetched = await fetch('data:text/plain,from%20fetch');
      expect(fetched).to.be.instanceOf(Response);
      expect(await fetched.text()).to.equal('from fetch');
      expect(new NativeResponse('made before')).to.be.instanceOf(Response);
      expect(Response.error()).to.be.instanceOf(Response);
      expect(Response.redirect('http://example.test/', 302).headers.get('location')).to.equal('http://example.test/');
      expect(new Response('x')).to.be.instanceOf(NativeResponse);
    });

    it('keeps subclasses working: their prototype, their instanceof', async () => {
      class Html extends Response {
        constructor(html: string) {
          super(html, { headers: { 'content-type': 'text/html' } });
        }
        get isHtml(): boolean {
          return true;
        }
      }
      const page = new Html('<p>');
      expect(page).to.be.instanceOf(Html);
      expect(page.isHtml).to.equal(true);
      expect(new Response('plain')).to.not.be.instanceOf(Html);
      expect(await page.text()).to.equal('<p>');
      expect(page.headers.get('content-type')).to.equal('text/html');
    });
  });
});
