/**
 * The example app's Centrifugo part (example/centrifugo.ts), served by the real worker entry over
 * pipes: its `centrifuge` mode answering proxy calls as rr's centrifuge plugin sends them, and its
 * HTTP publish route calling rr's `centrifuge.Publish` (rr's side played in-test; the e2e suite
 * runs the real rr and Centrifugo against the bridge).
 */
import { expect } from 'chai';
import { FrameFlag } from '../../src/runtime/goridge/flags.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../src/bridges/http/proto/http-v1.js';
import { decodeProxyResponse, encodeProxyRequest, type ProxyCallType } from '../../src/bridges/centrifugo/index.js';
import { API_METHODS } from '../../src/bridges/centrifugo/proto/api-v1.js';
import { decodeMessage, encodeMessage } from '../../src/bridges/centrifugo/proto/message-spec.js';
import { FakeRrKv } from '../bridges/kv/support/fake-rr-kv.js';
import { ProcessPeer } from '../support/process-peer.js';

describe('example app: Centrifugo', function () {
  this.timeout(60_000);
  let kv: FakeRrKv;
  before(async () => {
    kv = await FakeRrKv.start({ storages: { local: 'memory', sessions: 'memory' } });
  });
  after(async () => kv.close());

  describe('the centrifuge worker', () => {
    let peer: ProcessPeer;
    before(async () => {
      peer = await ProcessPeer.spawn({ app: 'example/app.ts', mode: 'centrifuge', env: { RR_RPC: kv.address } });
      await peer.handshake();
    });
    after(async () => peer.dispose());

    async function call<T extends ProxyCallType>(type: T, request: Record<string, unknown>) {
      peer.request(Buffer.from(JSON.stringify({ type: [type] })), encodeProxyRequest(type, { client: 'c1', transport: 'websocket', protocol: 'json', encoding: 'json', ...request } as never));
      const frame = await peer.next();
      if (frame.flags & FrameFlag.ERROR) throw new Error(`ERROR frame: ${frame.payload}`);
      return decodeProxyResponse(type, frame.payload.subarray(frame.options[0]));
    }

    it('accepts a demo token with its user id and welcome data, refuses any other (3507) and malformed data (107)', async () => {
      const ada = await call('connect', { data: Buffer.from('{"token":"demo-token-ada"}') });
      expect(ada.result?.user).to.equal('ada');
      expect(Buffer.from(ada.result!.data!).toString()).to.equal('{"welcome":"hello Ada"}');
      expect((await call('connect', { data: Buffer.from('{"token":"guess"}') })).disconnect?.code).to.equal(3507);
      expect((await call('connect', { data: Buffer.from('{"tok":1}') })).error?.code).to.equal(107);
    });

    it('lets users into chat:* rooms only, and answers whoami', async () => {
      expect((await call('subscribe', { user: 'ada', channel: 'chat:lobby' })).result).to.not.equal(undefined);
      expect((await call('subscribe', { user: 'ada', channel: 'news' })).error?.code).to.equal(103);
      const whoami = await call('rpc', { user: 'bob', method: 'whoami' });
      expect(Buffer.from(whoami.result!.data!).toString()).to.equal('{"user":"bob"}');
      expect((await call('rpc', { user: 'bob', method: 'other' })).error?.code).to.equal(104);
    });
  });

  describe('the HTTP publish route', () => {
    let peer: ProcessPeer;
    before(async () => {
      kv.server.handlers.set('centrifuge.Publish', () => ({ body: encodeMessage(API_METHODS.publish.response, { result: { offset: 12, epoch: 'ep' } }) }));
      peer = await ProcessPeer.spawn({ app: 'example/app.ts', env: { RR_RPC: kv.address } });
      await peer.handshake();
    });
    after(async () => peer.dispose());

    it('publishes {text, from: "http"} to chat:<room> through rr and answers 202 with the position', async () => {
      peer.request(
        encodeHttpRequest({ method: 'POST', uri: 'http://127.0.0.1:8080/chat/lobby', protocol: 'HTTP/1.1', remoteAddr: '10.0.0.1', header: { 'Content-Type': ['application/json'] } }),
        Buffer.from('{"text":"hi"}'),
      );
      const frames = [await peer.next()];
      while (frames.at(-1)!.streamFlags & 1) frames.push(await peer.next());
      const head = decodeHttpResponse(frames[0]!.payload.subarray(0, frames[0]!.options[0]));
      const body = Buffer.concat(frames.map((frame) => frame.payload.subarray(frame.options[0]))).toString();
      expect(head.status, body).to.equal(202);
      expect(JSON.parse(body)).to.deep.equal({ offset: 12, epoch: 'ep' });
      const publish = kv.server.requests.find((request) => request.method === 'centrifuge.Publish')!;
      const sent = decodeMessage<{ channel: string; data: Uint8Array }>(API_METHODS.publish.request, publish.body);
      expect(sent.channel).to.equal('chat:lobby');
      expect(JSON.parse(Buffer.from(sent.data).toString())).to.deep.equal({ text: 'hi', from: 'http' });
    });
  });
});
