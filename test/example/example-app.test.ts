/** The example app's routes, served by the real worker entry over pipes (rr's side played in-test). */
import { expect } from 'chai';
import { decodeHttpResponse, encodeHttpRequest } from '../../src/bridges/http/proto/http-v1.js';
import { StreamFlag } from '../../src/runtime/goridge/flags.js';
import type { Frame } from '../../src/runtime/goridge/frame.js';
import { ProcessPeer } from '../support/process-peer.js';

const request = (path: string, method = 'GET') =>
  encodeHttpRequest({ method, uri: `http://127.0.0.1:8080${path}`, protocol: 'HTTP/1.1', remoteAddr: '10.1.2.3' });
const body = (frame: Frame) => frame.payload.subarray(frame.options[0]).toString();

describe('example app', function () {
  this.timeout(60_000);
  let peer: ProcessPeer;
  before(async () => {
    peer = await ProcessPeer.spawn({ app: 'example/app.ts' });
    await peer.handshake();
  });
  after(() => peer.dispose());

  it('greets with the worker pid and the client address', async () => {
    peer.request(request('/'));
    expect(body(await peer.next())).to.equal(`Hello from a Node worker (pid ${peer.child.pid}) behind RoadRunner; you are 10.1.2.3\n`);
  });

  it('echoes a body', async () => {
    peer.request(request('/echo', 'POST'), Buffer.from('ping'));
    expect(body(await peer.next())).to.equal('ping');
  });

  it('streams the countdown chunk by chunk', async () => {
    peer.request(request('/stream'));
    const chunks: string[] = [];
    for (;;) {
      const frame = await peer.next();
      chunks.push(body(frame));
      if (!(frame.streamFlags & StreamFlag.STREAM)) break;
    }
    expect(chunks.join('')).to.equal('5...\n4...\n3...\n2...\n1...\nlift-off\n');
    expect(chunks.filter((c) => c !== '').length).to.be.greaterThan(1);
  });

  it('resets its Resettable counter after every request', async () => {
    for (let i = 0; i < 3; i++) {
      peer.request(request('/stats'));
      const frame = await peer.next();
      expect(decodeHttpResponse(frame.payload.subarray(0, frame.options[0])).headers['content-type']).to.deep.equal(['application/json']);
      expect(JSON.parse(body(frame)).queriesThisRequest).to.equal(3);
    }
  });

  it('answers 404 for unknown paths', async () => {
    peer.request(request('/nope'));
    const frame = await peer.next();
    expect(decodeHttpResponse(frame.payload.subarray(0, frame.options[0])).status).to.equal(404);
  });
});
