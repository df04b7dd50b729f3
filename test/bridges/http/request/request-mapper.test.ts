import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { createRequestMapper } from '../../../../src/bridges/http/request/request-mapper.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';
import { HttpRequestOptionsError, UploadUnavailableError } from '../../../../src/bridges/http/errors.js';
import { json, rrMessage, UploadsDir } from './fixtures.js';

const map = createRequestMapper();
const noBody = Buffer.alloc(0);

describe('createRequestMapper', () => {
  describe('the Fetch Request', () => {
    it('has the method, rr’s absolute URL, every header value and the raw body', async () => {
      const { request } = await map(
        rrMessage({
          method: 'PUT',
          uri: 'https://api.example:8443/items/7?x=1&y=%20',
          header: { 'Content-Type': ['application/json'], 'X-Multi': ['a', 'b'], 'Content-Length': ['11'] },
        }),
        Buffer.from('{"ok":true}'),
      );
      expect(request.method).to.equal('PUT');
      expect(request.url).to.equal('https://api.example:8443/items/7?x=1&y=%20');
      expect(request.headers.get('x-multi')).to.equal('a, b');
      expect(request.headers.get('content-type')).to.equal('application/json');
      expect(request.headers.get('content-length')).to.equal('11');
      expect(await request.json()).to.deep.equal({ ok: true });
    });

    it('streams the raw body (a ReadableStream over the frame body) and has none for GET/HEAD or an empty body', async () => {
      const { request } = await map(rrMessage({ method: 'POST' }), Buffer.from('raw bytes'));
      expect(request.body).to.be.instanceOf(ReadableStream);
      expect(await request.text()).to.equal('raw bytes');
      expect((await map(rrMessage({ method: 'GET' }), Buffer.from('ignored'))).request.body).to.equal(null);
      expect((await map(rrMessage({ method: 'HEAD' }), noBody)).request.body).to.equal(null);
      expect((await map(rrMessage({ method: 'DELETE' }), noBody)).request.body).to.equal(null);
    });

    it('keeps header values as Latin-1 byte strings', async () => {
      const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1'); // "café" in ISO-8859-1 bytes
      const { request } = await map(rrMessage({ header: { 'X-Name': [latin1] } }), noBody);
      expect(Buffer.from(request.headers.get('x-name')!, 'latin1')).to.deep.equal(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    });

    it('restores the Host header from rr’s URI (Go keeps it out of the header map)', async () => {
      const { request } = await map(rrMessage({ uri: 'http://shop.example:8080/' }), noBody);
      expect(request.headers.get('host')).to.equal('shop.example:8080');
    });

    it('joins Cookie lines with "; " so the header matches the cookies rr parsed', async () => {
      const { request, context } = await map(rrMessage({ header: { Cookie: ['a=1', 'b=x%20y'] }, cookies: { a: ['1'], b: ['x y'] } }), noBody);
      expect(request.headers.get('cookie')).to.equal('a=1; b=x%20y');
      expect(context.cookies).to.deep.equal({ a: '1', b: 'x y' });
    });

    it('rebuilds the Cookie header from rr’s cookies when there is none', async () => {
      const { request } = await map(rrMessage({ cookies: { sid: ['abc'], note: ['a b;c'] } }), noBody);
      expect(request.headers.get('cookie')).to.equal('sid=abc; note=a%20b%3Bc');
    });

    it('aborts request.signal with the signal it was given', async () => {
      const controller = new AbortController();
      const { request } = await map(rrMessage(), noBody, controller.signal);
      expect(request.signal.aborted).to.equal(false);
      const clone = request.clone();
      controller.abort(new Error('client gone'));
      expect(request.signal.aborted).to.equal(true);
      expect(clone.signal.aborted, 'a clone follows it too').to.equal(true);
      expect(request).to.be.instanceOf(Request);
    });

    it('gives a request mapped without a signal one that never aborts', async () => {
      const { request } = await map(rrMessage(), noBody);
      expect(request.signal).to.be.instanceOf(AbortSignal);
      expect(request.signal.aborted).to.equal(false);
    });

    it('refuses a URI that is not absolute with a ProtocolError', async () => {
      await map(rrMessage({ uri: '/relative' }), noBody).then(
        () => expect.fail('should throw'),
        (error: unknown) => expect(error).to.be.instanceOf(ProtocolError),
      );
    });
  });

  describe('the context', () => {
    it('has the peer, protocol, and rr attributes (first value and all values)', async () => {
      const { context } = await map(rrMessage({ remoteAddr: '198.51.100.4', protocol: 'HTTP/2.0', attributes: { tenant: ['acme', 'other'], empty: [] } }), noBody);
      expect(context).to.deep.include({ clientAddress: '198.51.100.4', peerAddress: '198.51.100.4', fromTrustedProxy: false, protocol: 'HTTP/2.0' });
      expect(context.attributes).to.deep.equal({ tenant: 'acme' });
      expect(context.attributeValues).to.deep.equal({ tenant: ['acme', 'other'], empty: [] });
      expect(context.form).to.equal(undefined);
      expect(context.uploads).to.equal(undefined);
      expect(context.files).to.deep.equal([]);
    });

    it('applies trusted proxies to the client address and the URL, keeping the peer', async () => {
      const mapper = createRequestMapper({ trustedProxies: ['10.0.0.0/8'], trustedHeaders: ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] });
      const message = rrMessage({
        remoteAddr: '10.0.0.3',
        uri: 'http://127.0.0.1:8080/cart?id=1',
        header: { 'X-Forwarded-For': ['198.51.100.4'], 'X-Forwarded-Proto': ['https'], 'X-Forwarded-Host': ['shop.example'] },
      });
      const { request, context } = await mapper(message, noBody);
      expect(request.url).to.equal('https://shop.example/cart?id=1');
      expect(request.headers.get('host')).to.equal('127.0.0.1:8080');
      expect(context).to.deep.include({ clientAddress: '198.51.100.4', peerAddress: '10.0.0.3', fromTrustedProxy: true });
    });

    it('validates options when created', () => {
      expect(() => createRequestMapper({ trustedProxies: ['10.0.0.0/40'] })).to.throw(HttpRequestOptionsError, '"10.0.0.0/40"');
      expect(() => createRequestMapper({ readUploads: 'disk' as 'lazy' })).to.throw(HttpRequestOptionsError, 'readUploads');
    });
  });

  describe('urlencoded forms rr parsed', () => {
    const form = { name: 'Ann', tags: ['a', 'b'], address: { city: 'Oslo', lines: ['1', '2'] } };
    const message = rrMessage({ method: 'POST', parsed: true, header: { 'Content-Type': ['application/x-www-form-urlencoded'], 'Content-Length': ['999'] } });

    it('are rebuilt as a URLSearchParams body that request.formData() reads back with bracket keys', async () => {
      const { request, context } = await map(message, json(form));
      expect(request.headers.get('content-type')).to.equal('application/x-www-form-urlencoded;charset=UTF-8');
      expect(request.headers.get('content-length')).to.equal(null);
      const data = await request.formData();
      expect([...data.entries()]).to.deep.equal([
        ['name', 'Ann'],
        ['tags[]', 'a'],
        ['tags[]', 'b'],
        ['address[city]', 'Oslo'],
        ['address[lines][]', '1'],
        ['address[lines][]', '2'],
      ]);
      expect(context.form).to.deep.equal(form);
    });

    it('keep non-ASCII text intact', async () => {
      const { request } = await map(message, json({ q: 'zürich & ∑ = ?' }));
      expect((await request.formData()).get('q')).to.equal('zürich & ∑ = ?');
    });

    it('read an empty body as an empty form', async () => {
      const { request, context } = await map(message, noBody);
      expect(context.form).to.deep.equal({});
      expect([...(await request.formData()).keys()]).to.deep.equal([]);
    });

    it('refuse a body that is not a JSON object with a ProtocolError', async () => {
      for (const body of ['name=Ann', '["a"]', 'null']) {
        await map(message, Buffer.from(body)).then(
          () => expect.fail(`should throw for ${body}`),
          (error: unknown) => expect(error).to.be.instanceOf(ProtocolError),
        );
      }
    });
  });

  describe('multipart forms rr parsed', () => {
    let dir: UploadsDir;
    beforeEach(() => (dir = new UploadsDir()));
    afterEach(() => dir.remove());

    const multipart = (uploads: unknown) =>
      rrMessage({
        method: 'POST',
        parsed: true,
        header: { 'Content-Type': ['multipart/form-data; boundary=original-boundary'], 'Content-Length': ['12345'] },
        uploads: uploads === undefined ? undefined : json(uploads),
      });

    it('are rebuilt as FormData: fields and Files, with a content type whose boundary matches the body', async () => {
      const uploads = {
        avatar: dir.upload('me.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), 'image/png'),
        docs: [dir.upload('a.txt', 'alpha', 'text/plain'), dir.upload('b.txt', 'beta', 'text/plain')],
      };
      const { request, context } = await map(multipart(uploads), json({ title: 'Hi', meta: { tags: ['x'] } }));

      const contentType = request.headers.get('content-type')!;
      expect(contentType).to.match(/^multipart\/form-data; boundary=/);
      expect(contentType).to.not.contain('original-boundary');
      expect(request.headers.get('content-length')).to.equal(null);

      const data = await request.formData();
      expect(data.get('title')).to.equal('Hi');
      expect(data.getAll('meta[tags][]')).to.deep.equal(['x']);
      const avatar = data.get('avatar') as File;
      expect(avatar).to.be.instanceOf(File);
      expect(avatar.name).to.equal('me.png');
      expect(avatar.type).to.equal('image/png');
      expect(Buffer.from(await avatar.arrayBuffer())).to.deep.equal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
      const docs = data.getAll('docs[]') as File[];
      expect(await Promise.all(docs.map((file) => file.text()))).to.deep.equal(['alpha', 'beta']);

      expect(context.files.map((file) => file.field)).to.deep.equal(['avatar', 'docs[]', 'docs[]']);
      expect(context.uploadErrors).to.deep.equal([]);
      expect(context.form).to.deep.equal({ title: 'Hi', meta: { tags: ['x'] } });
    });

    it('with only files (empty field tree) still give a multipart body', async () => {
      const { request } = await map(multipart({ f: dir.upload('f.txt', 'only') }), noBody);
      expect(await ((await request.formData()).get('f') as File).text()).to.equal('only');
    });

    it('show failed uploads in the context, never silently: they have no File and are left out of FormData', async () => {
      const uploads = {
        good: dir.upload('good.txt', 'ok'),
        bad: { name: 'run.exe', mime: 'application/x-msdownload', size: 0, error: 8, tmpName: '' },
      };
      const { request, context } = await map(multipart(uploads), json({ a: '1' }));
      expect(context.uploadErrors).to.have.length(1);
      expect(context.uploadErrors[0]).to.deep.include({ field: 'bad', name: 'run.exe', error: 8, file: undefined });
      expect(context.uploadErrors[0]!.errorMessage).to.contain('extension');
      expect(context.files).to.have.length(2);
      const data = await request.formData();
      expect(data.has('bad')).to.equal(false);
      expect(await (data.get('good') as File).text()).to.equal('ok');
    });

    it('fail with UploadUnavailableError when rr’s temp file is missing', async () => {
      const leaf = dir.upload('x.txt', 'x');
      rmSync(leaf.tmpName);
      await map(multipart({ x: leaf }), noBody).then(
        () => expect.fail('should throw'),
        (error: unknown) => expect(error).to.be.instanceOf(UploadUnavailableError).with.property('field', 'x'),
      );
    });

    it('with raw_body (parsed false) pass the original body and content type through untouched', async () => {
      const boundary = 'XyZ';
      const raw = `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nraw value\r\n--${boundary}--\r\n`;
      const { request, context } = await map(
        rrMessage({ method: 'POST', header: { 'Content-Type': [`multipart/form-data; boundary=${boundary}`] } }),
        Buffer.from(raw),
      );
      expect(request.headers.get('content-type')).to.equal(`multipart/form-data; boundary=${boundary}`);
      expect((await request.formData()).get('a')).to.equal('raw value');
      expect(context.form).to.equal(undefined);
    });
  });
});
