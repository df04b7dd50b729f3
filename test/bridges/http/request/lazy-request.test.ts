import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LAZY_REQUESTS, takeParsedUrl } from '../../../../src/bridges/http/request/lazy-request.js';
import { createRequestMapper } from '../../../../src/bridges/http/request/request-mapper.js';
import { rrMessage } from './fixtures.js';

const map = createRequestMapper();

/** A request as the worker maps it: POST with a JSON body, a header, and the unit's signal. */
async function mapped(body = '{"n":1}', method = 'POST', controller = new AbortController()): Promise<{ request: Request; controller: AbortController }> {
  const { request } = await map(
    rrMessage({ method, uri: 'http://app.example/items/7?x=1', header: { 'Content-Type': ['application/json'], 'X-Trace': ['t-1'] } }),
    Buffer.from(body),
    () => controller.signal,
  );
  return { request, controller };
}

describe('http/request lazy Request', () => {
  it('is accepted by this Node’s undici (else every request is built eagerly: a Node upgrade that changes undici fails here)', () => {
    expect(LAZY_REQUESTS).to.equal(true);
  });

  it('hands its parsed URL over once, to the first taker, as the URL of request.url', async () => {
    const { request } = await mapped();
    const url = takeParsedUrl(request);
    expect(url, 'the mapper parsed the URL: a router need not parse it again').to.be.instanceOf(URL);
    expect(url!.href).to.equal(request.url);
    url!.searchParams.set('x', 'changed by the taker');
    expect(request.url, 'the taker owns the object: request.url is untouched').to.equal('http://app.example/items/7?x=1');
    expect(takeParsedUrl(request), 'a second caller parses request.url itself').to.equal(undefined);
    expect(takeParsedUrl(new Request('http://other.example/')), 'not one of ours').to.equal(undefined);
  });

  it('is a Request: instanceof, its tag, its fields, undici’s own getters', async () => {
    const { request } = await mapped();
    expect(request).to.be.instanceOf(Request);
    expect(Object.prototype.toString.call(request)).to.equal('[object Request]');
    expect(request.method).to.equal('POST');
    expect(request.url).to.equal('http://app.example/items/7?x=1');
    expect(request.headers).to.be.instanceOf(Headers);
    expect(request.headers.get('x-trace')).to.equal('t-1');
    expect(request.mode).to.equal('cors');
    expect(request.credentials).to.equal('same-origin');
    expect(request.duplex).to.equal('half');
  });

  it('is copied by new Request(request): method, URL, headers, body, and a signal that follows the client’s', async () => {
    const { request, controller } = await mapped();
    request.headers.set('x-added', 'yes');
    const copy = new Request(request);
    expect(copy.method).to.equal('POST');
    expect(copy.url).to.equal('http://app.example/items/7?x=1');
    expect(copy.headers.get('x-trace')).to.equal('t-1');
    expect(copy.headers.get('x-added'), 'a change made before the copy').to.equal('yes');
    expect(await copy.json()).to.deep.equal({ n: 1 });
    const init = new Request(request, { method: 'PUT', body: 'other' });
    expect(init.method).to.equal('PUT');
    expect(await init.text()).to.equal('other');
    controller.abort(new Error('client went away'));
    expect(copy.signal.aborted).to.equal(true);
  });

  it('clones: both bodies readable, the clone’s signal aborting with the client’s', async () => {
    const { request, controller } = await mapped();
    const clone = request.clone();
    expect(clone).to.be.instanceOf(Request);
    expect(await clone.text()).to.equal('{"n":1}');
    expect(await request.text()).to.equal('{"n":1}');
    expect(clone.signal.aborted).to.equal(false);
    controller.abort();
    expect(request.signal.aborted).to.equal(true);
    expect(clone.signal.aborted).to.equal(true);
  });

  it('reads its body in every form, once: text, json, arrayBuffer, bytes, blob, formData, the stream', async () => {
    expect(await (await mapped()).request.text()).to.equal('{"n":1}');
    expect(await (await mapped()).request.json()).to.deep.equal({ n: 1 });
    expect(Buffer.from(await (await mapped()).request.arrayBuffer()).toString()).to.equal('{"n":1}');
    const bytes = await ((await mapped()).request as Request & { bytes(): Promise<Uint8Array> }).bytes();
    expect(bytes).to.be.instanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString()).to.equal('{"n":1}');
    const blob = await (await mapped()).request.blob();
    expect(blob.type).to.equal('application/json');
    expect(await blob.text()).to.equal('{"n":1}');
    const stream = (await mapped()).request.body!;
    expect(stream).to.be.instanceOf(ReadableStream);
    expect(Buffer.from(await new Response(stream).arrayBuffer()).toString()).to.equal('{"n":1}');

    const { request: form } = await map(
      rrMessage({ method: 'POST', header: { 'Content-Type': ['application/x-www-form-urlencoded'] } }),
      Buffer.from('a=1&b=x+y'),
    );
    const data = await form.formData();
    expect([...data.entries()]).to.deep.equal([['a', '1'], ['b', 'x y']]);
  });

  it('strips a UTF-8 BOM and rejects malformed JSON as a rejected promise, like undici', async () => {
    expect(await (await mapped('\uFEFF{"n":2}')).request.json()).to.deep.equal({ n: 2 });
    let error: unknown;
    await (await mapped('{nope')).request.json().catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(SyntaxError);
  });

  it('is used once read: bodyUsed, a second read, clone() and new Request(request) refuse it', async () => {
    const { request } = await mapped();
    expect(request.bodyUsed).to.equal(false);
    await request.text();
    expect(request.bodyUsed).to.equal(true);
    let second: unknown;
    await request.json().catch((caught: unknown) => (second = caught));
    expect(second).to.be.instanceOf(TypeError);
    expect(() => request.clone()).to.throw(TypeError);
    expect(() => new Request(request)).to.throw(TypeError);
    expect(request.body!.locked || request.bodyUsed).to.equal(true);
  });

  it('has no body for GET: null, and empty reads any number of times', async () => {
    const { request } = await mapped('ignored', 'GET');
    expect(request.body).to.equal(null);
    expect(await request.text()).to.equal('');
    expect(await request.text()).to.equal('');
    expect(request.bodyUsed).to.equal(false);
  });

  it('normalises or refuses unusual methods exactly as the Fetch API does', async () => {
    expect((await mapped('', 'patch')).request.method).to.equal('patch');
    expect((await mapped('', 'delete')).request.method).to.equal('DELETE');
    let error: unknown;
    await mapped('', 'TRACE').catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(TypeError);
  });

  describe('fetch(request) to an upstream', () => {
    let server: Server;
    let upstream: string;
    const seen: Array<{ method: string; headers: IncomingMessage['headers']; body: string }> = [];
    let hang: (() => void) | undefined;

    before(async () => {
      server = createServer(async (req, res) => {
        let body = '';
        for await (const chunk of req) body += chunk;
        seen.push({ method: req.method!, headers: req.headers, body });
        if (req.url === '/hang') {
          // Never answers: only the client’s abort ends this request.
          hang?.();
          return;
        }
        res.end('upstream ok');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('forwards method, headers and body', async () => {
      const { request } = await map(
        rrMessage({ method: 'POST', uri: `${upstream}/echo`, header: { 'Content-Type': ['application/json'], 'X-Trace': ['t-9'] } }),
        Buffer.from('{"up":true}'),
      );
      const response = await fetch(request);
      expect(await response.text()).to.equal('upstream ok');
      const last = seen.at(-1)!;
      expect(last).to.deep.include({ method: 'POST', body: '{"up":true}' });
      expect(last.headers['x-trace']).to.equal('t-9');
    });

    it('is aborted when the client goes away', async () => {
      const controller = new AbortController();
      const { request } = await map(rrMessage({ method: 'GET', uri: `${upstream}/hang` }), Buffer.alloc(0), () => controller.signal);
      const arrived = new Promise<void>((resolve) => (hang = resolve));
      const pending = fetch(request);
      await arrived;
      controller.abort(new Error('client went away'));
      let error: unknown;
      await pending.catch((caught: unknown) => (error = caught));
      expect((error as Error).message).to.equal('client went away');
    });
  });
});
