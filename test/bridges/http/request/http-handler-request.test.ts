import { expect } from 'chai';
import { FrameFlag } from '../../../../src/runtime/goridge/flags.js';
import { Worker } from '../../../../src/runtime/worker/worker.js';
import { createHttpHandler } from '../../../../src/bridges/http/http-handler.js';
import { decodeHttpResponse, encodeHttpRequest, type HttpRequestMessage } from '../../../../src/bridges/http/proto/http-v1.js';
import { HttpRequestOptionsError } from '../../../../src/bridges/http/errors.js';
import { MemoryPeer } from '../../../support/memory-peer.js';
import { json, UploadsDir } from './fixtures.js';

const bodyOf = (frame: { options: number[]; payload: Buffer }) => frame.payload.subarray(frame.options[0]).toString();

describe('createHttpHandler: request side through the Worker', () => {
  let dir: UploadsDir;
  beforeEach(() => (dir = new UploadsDir()));
  afterEach(() => dir.remove());

  it('gives the handler the corrected URL, a readable formData() with files, and the client IP, per request', async () => {
    const peer = new MemoryPeer();
    const handler = createHttpHandler(
      async (request, { context }) => {
        const data = request.method === 'POST' ? await request.formData() : new FormData();
        const file = data.get('photo') as File | null;
        return Response.json({
          url: request.url,
          client: context.clientAddress,
          peer: context.peerAddress,
          trusted: context.fromTrustedProxy,
          title: data.get('title'),
          tags: data.getAll('tags[]'),
          photo: file && { name: file.name, type: file.type, text: await file.text() },
          errors: context.uploadErrors.map((upload) => [upload.field, upload.error]),
        });
      },
      { trustedProxies: ['10.0.0.0/8'], trustedHeaders: ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] },
    );
    const done = new Worker({ transport: peer.transport, handler, log: () => {} }).run();
    const send = (message: Partial<HttpRequestMessage>, body: Uint8Array | string = '') =>
      peer.request(encodeHttpRequest({ protocol: 'HTTP/1.1', ...message }), body, FrameFlag.CODEC_PROTO);

    // 1: through a trusted proxy, a multipart form with one good and one refused upload.
    send(
      {
        method: 'POST',
        remoteAddr: '10.0.0.3',
        uri: 'http://127.0.0.1:8080/upload?step=1',
        header: {
          'Content-Type': ['multipart/form-data; boundary=from-the-client'],
          'X-Forwarded-For': ['6.6.6.6, 198.51.100.4'],
          'X-Forwarded-Proto': ['https'],
          'X-Forwarded-Host': ['shop.example'],
        },
        parsed: true,
        uploads: json({
          photo: dir.upload('cat.jpg', 'JPEG DATA', 'image/jpeg'),
          script: { name: 'x.php', mime: 'text/x-php', size: 0, error: 8, tmpName: '' },
        }),
      },
      json({ title: 'Cat', tags: ['cute', 'small'] }),
    );
    // 2: the same spoofing headers straight from an untrusted client: ignored.
    send({
      method: 'GET',
      remoteAddr: '203.0.113.50',
      uri: 'http://127.0.0.1:8080/page',
      header: { 'X-Forwarded-For': ['1.2.3.4'], 'X-Forwarded-Proto': ['https'], 'X-Forwarded-Host': ['evil.example'] },
    });

    const [first, second] = await peer.waitForSent(2);
    expect(first!.flags).to.equal(FrameFlag.CODEC_PROTO);
    expect(decodeHttpResponse(first!.payload.subarray(0, first!.options[0])).status).to.equal(200);
    expect(JSON.parse(bodyOf(first!))).to.deep.equal({
      url: 'https://shop.example/upload?step=1',
      client: '198.51.100.4',
      peer: '10.0.0.3',
      trusted: true,
      title: 'Cat',
      tags: ['cute', 'small'],
      photo: { name: 'cat.jpg', type: 'image/jpeg', text: 'JPEG DATA' },
      errors: [['script', 8]],
    });
    expect(JSON.parse(bodyOf(second!))).to.deep.include({
      url: 'http://127.0.0.1:8080/page',
      client: '203.0.113.50',
      peer: '203.0.113.50',
      trusted: false,
    });
    peer.end();
    await done;
  });

  it('answers with an ERROR frame (rr: 500) when an upload’s temp file is gone, and keeps serving', async () => {
    const peer = new MemoryPeer();
    const handler = createHttpHandler(async (request) => new Response(`served ${new URL(request.url).pathname}`));
    const done = new Worker({ transport: peer.transport, handler, log: () => {} }).run();
    const missing = { name: 'a', mime: '', size: 1, error: 0, tmpName: `${dir.path}/upload-gone` };
    peer.request(
      encodeHttpRequest({ method: 'POST', uri: 'http://localhost/a', parsed: true, header: { 'Content-Type': ['multipart/form-data; boundary=b'] }, uploads: json({ a: missing }) }),
      '',
      FrameFlag.CODEC_PROTO,
    );
    peer.request(encodeHttpRequest({ method: 'GET', uri: 'http://localhost/b' }), '', FrameFlag.CODEC_PROTO);
    const [failed, next] = await peer.waitForSent(2);
    expect(failed!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(failed!.payload.toString()).to.contain('upload-gone');
    expect(bodyOf(next!)).to.equal('served /b');
    peer.end();
    await done;
  });

  it('refuses bad trusted-proxy options when the handler is created', () => {
    expect(() => createHttpHandler(() => new Response(''), { trustedProxies: ['10.0.0.0/8', 'localhost'] }))
      .to.throw(HttpRequestOptionsError, 'trustedProxies[1]')
      .with.property('value', 'localhost');
  });
});
