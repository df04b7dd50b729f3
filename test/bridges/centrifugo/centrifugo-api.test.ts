/**
 * CentrifugoApi against an in-test goridge RPC endpoint that plays rr's centrifuge plugin (the
 * e2e suite calls the real rr, which forwards to the real Centrifugo).
 */
import { expect } from 'chai';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { API_METHODS } from '../../../src/bridges/centrifugo/proto/api-v1.js';
import { decodeMessage, encodeMessage } from '../../../src/bridges/centrifugo/proto/message-spec.js';
import {
  CentrifugoApi,
  CentrifugoApiConnectionError,
  CentrifugoApiError,
  CentrifugoApiReplyError,
  CentrifugoConfigError,
} from '../../../src/bridges/centrifugo/index.js';
import { rejection } from '../../support/assertions.js';
import { GoridgeRpcServer } from '../../support/goridge-rpc-server.js';
import { json, text } from './support.js';

describe('CentrifugoApi', () => {
  let rr: GoridgeRpcServer;
  let api: CentrifugoApi;
  beforeEach(async () => {
    rr = await GoridgeRpcServer.start();
    api = new CentrifugoApi({ address: rr.address, timeoutMs: 2000 });
  });
  afterEach(async () => {
    await api.close();
    await rr.close();
  });

  function answer(method: keyof typeof API_METHODS, response: object) {
    rr.handlers.set(API_METHODS[method].rpc, () => ({ body: encodeMessage(API_METHODS[method].response, response) }));
  }

  it('publishes JSON data through centrifuge.Publish with the protobuf codec and returns the stream position', async () => {
    answer('publish', { result: { offset: 7, epoch: 'abc' } });
    expect(await api.publish('chat:lobby', { text: 'hi' }, { skipHistory: true, tags: { kind: 'greeting' }, idempotencyKey: 'k1' })).to.deep.equal({ offset: 7, epoch: 'abc' });
    const [request] = rr.requests;
    expect(request!.method).to.equal('centrifuge.Publish');
    expect(request!.flags & FrameFlag.CODEC_PROTO).to.equal(FrameFlag.CODEC_PROTO);
    const sent = decodeMessage<{ channel: string; data: Uint8Array; skipHistory: boolean; tags: Record<string, string>; idempotencyKey: string }>(API_METHODS.publish.request, request!.body);
    expect(sent).to.deep.include({ channel: 'chat:lobby', skipHistory: true, idempotencyKey: 'k1' });
    expect({ ...sent.tags }).to.deep.equal({ kind: 'greeting' });
    expect(text(sent.data)).to.equal('{"text":"hi"}');
  });

  it('sends bytes as they are', async () => {
    answer('publish', { result: { offset: 1 } });
    await api.publish('bin', Uint8Array.of(0, 1, 2));
    expect([...decodeMessage<{ data: Uint8Array }>(API_METHODS.publish.request, rr.requests[0]!.body).data]).to.deep.equal([0, 1, 2]);
  });

  it('reads presence, presence stats, history, channels and broadcast outcomes', async () => {
    answer('presence', { result: { presence: { c1: { user: 'ann', client: 'c1', connInfo: json({ name: 'Ann' }), chanInfo: Buffer.from('not json') } } } });
    const presence = await api.presence('chat:a');
    expect(presence['c1']).to.deep.include({ user: 'ann', client: 'c1', connInfo: { name: 'Ann' } });
    expect(text(presence['c1']!.chanInfo as Uint8Array)).to.equal('not json');

    answer('presenceStats', { result: { numClients: 3, numUsers: 2 } });
    expect(await api.presenceStats('chat:a')).to.deep.equal({ numClients: 3, numUsers: 2 });

    answer('history', { result: { publications: [{ data: json({ n: 1 }), offset: 4, tags: { t: 'x' }, info: { user: 'ann', client: 'c1' } }], epoch: 'e', offset: 4 } });
    const history = await api.history('chat:a', { limit: 5, reverse: true });
    expect(history.position).to.deep.equal({ offset: 4, epoch: 'e' });
    expect(history.publications[0]).to.deep.include({ data: { n: 1 }, offset: 4, tags: { t: 'x' } });
    expect(history.publications[0]!.info).to.deep.include({ user: 'ann' });
    expect(decodeMessage(API_METHODS.history.request, rr.requests.at(-1)!.body)).to.deep.include({ channel: 'chat:a', limit: 5, reverse: true });

    answer('channels', { result: { channels: { 'chat:a': { numClients: 2 } } } });
    expect({ ...(await api.channels('chat:*')) }).to.deep.equal({ 'chat:a': { numClients: 2 } });

    answer('broadcast', { result: { responses: [{ result: { offset: 1, epoch: 'x' } }, { error: { code: 102, message: 'unknown channel' } }] } });
    const outcomes = await api.broadcast(['chat:a', 'nope'], { n: 1 });
    expect(outcomes[0]).to.deep.equal({ ok: true, position: { offset: 1, epoch: 'x' } });
    expect(outcomes[1]!.ok).to.equal(false);
    expect((outcomes[1] as { error: CentrifugoApiReplyError }).error.replyCode).to.equal(102);
  });

  it('sends subscribe, unsubscribe, disconnect and refresh with their options', async () => {
    for (const method of ['subscribe', 'unsubscribe', 'disconnect', 'refresh'] as const) answer(method, {});
    await api.subscribe('ann', 'chat:a', { client: 'c1', data: { welcome: true }, override: { presence: false } });
    expect(decodeMessage<Record<string, unknown>>(API_METHODS.subscribe.request, rr.requests.at(-1)!.body)).to.deep.include({ user: 'ann', channel: 'chat:a', client: 'c1', override: {
      presence: { value: false }, joinLeave: undefined, forceRecovery: undefined, forcePositioning: undefined, forcePushJoinLeave: undefined,
    } });
    await api.unsubscribe('ann', 'chat:a');
    await api.disconnect('ann', { code: 4500, reason: 'banned', whitelist: ['c9'] });
    expect(decodeMessage<Record<string, unknown>>(API_METHODS.disconnect.request, rr.requests.at(-1)!.body)).to.deep.include({ user: 'ann', disconnect: { code: 4500, reason: 'banned' }, whitelist: ['c9'] });
    await api.disconnect('ann');
    expect(decodeMessage<Record<string, unknown>>(API_METHODS.disconnect.request, rr.requests.at(-1)!.body)['disconnect']).to.equal(undefined);
    await api.refresh('ann', { expireAt: 1_900_000_000 });
    expect(decodeMessage<Record<string, unknown>>(API_METHODS.refresh.request, rr.requests.at(-1)!.body)).to.deep.include({ user: 'ann', expireAt: 1_900_000_000 });
    expect(rr.requests.map((request) => request.method)).to.deep.equal([
      'centrifuge.Subscribe',
      'centrifuge.Unsubscribe',
      'centrifuge.Disconnect',
      'centrifuge.Disconnect',
      'centrifuge.Refresh',
    ]);
  });

  it('turns Centrifugo’s error answer into CentrifugoApiReplyError with its code', async () => {
    answer('presence', { error: { code: 108, message: 'not available' } });
    const error = await rejection(api.presence('news'));
    expect(error).to.be.instanceOf(CentrifugoApiReplyError);
    expect(error).to.include({ replyCode: 108, method: 'presence', code: 'ERR_CENTRIFUGO_API_REPLY' });
    expect((error as Error).message).to.equal('Centrifugo API presence: Centrifugo answered error 108 (not available)');
  });

  it('tells "Centrifugo unreachable from rr" and "rr unreachable" (CentrifugoApiConnectionError) from other rr errors', async () => {
    rr.handlers.set('centrifuge.Publish', () => ({ error: 'rpc error: code = Unavailable desc = connection error: dial tcp 127.0.0.1:10000: connect: connection refused' }));
    expect(await rejection(api.publish('a', {}))).to.be.instanceOf(CentrifugoApiConnectionError);
    rr.handlers.set('centrifuge.Publish', () => ({ error: 'rpc error: code = InvalidArgument desc = bad' }));
    const other = await rejection(api.publish('a', {}));
    expect(other).to.be.instanceOf(CentrifugoApiError).and.not.be.instanceOf(CentrifugoApiConnectionError);
    await rr.close();
    const down = await rejection(api.publish('a', {}));
    expect(down).to.be.instanceOf(CentrifugoApiConnectionError);
    expect((down as Error).message).to.match(/^Centrifugo API publish: could not reach Centrifugo through rr: /);
  });

  it('refuses a bad timeout when it is made, and never closes a shared RPC client', async () => {
    expect(() => new CentrifugoApi({ timeoutMs: -1 })).to.throw(CentrifugoConfigError, /timeoutMs/);
    answer('info', { result: { nodes: [{ name: 'n1', version: '6.9.1', numClients: 2 }] } });
    const shared = new CentrifugoApi({ rpc: api.rpc });
    expect((await shared.info())[0]).to.deep.include({ name: 'n1', version: '6.9.1', numClients: 2 });
    await shared.close();
    answer('info', { result: {} });
    expect(await api.info()).to.deep.equal([]);
  });
});
