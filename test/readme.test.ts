/**
 * The README's quick-start app, extracted from README.md and served by the real worker entry (rr's
 * side played in-test), so the documentation cannot drift from what the package does.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeHttpResponse, encodeHttpRequest } from '../src/bridges/http/proto/http-v1.js';
import type { Frame } from '../src/runtime/goridge/frame.js';
import { ProcessPeer, ROOT } from './support/process-peer.js';
import { readmeBlock } from './support/readme-blocks.js';

function quickStartApp(): string {
  return readmeBlock('src/app.ts');
}

describe('README install: the app', function () {
  this.timeout(60_000);
  const file = join(ROOT, 'test', 'fixtures', 'apps', `readme-quick-start-${process.pid}.ts`);
  let peer: ProcessPeer;
  before(async () => {
    writeFileSync(file, quickStartApp());
    peer = await ProcessPeer.spawn({ app: file });
    await peer.handshake();
  });
  after(async () => {
    await peer?.dispose();
    rmSync(file, { force: true });
  });

  const get = (path: string, header: Record<string, string[]> = {}) =>
    encodeHttpRequest({ method: 'GET', uri: `http://127.0.0.1:8080${path}`, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header });
  const body = (frame: Frame) => frame.payload.subarray(frame.options[0]).toString();

  it('serves the documented route with a request-scoped service', async () => {
    peer.request(get('/hello/ada', { 'Accept-Language': ['fr-FR,fr;q=0.9'] }));
    expect(JSON.parse(body(await peer.next()))).to.deep.equal({ hello: 'ada', locale: 'fr-FR' });
    peer.request(get('/hello/bob'));
    expect(JSON.parse(body(await peer.next()))).to.deep.equal({ hello: 'bob', locale: 'en' });
  });

  it('answers 404 outside its routes', async () => {
    peer.request(get('/nope'));
    const frame = await peer.next();
    expect(decodeHttpResponse(frame.payload.subarray(0, frame.options[0])).status).to.equal(404);
  });
});
