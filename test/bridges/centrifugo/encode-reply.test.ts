import { expect } from 'chai';
import {
  centrifugoEventFrom,
  CentrifugoReplyError,
  decodeProxyResponse,
  encodeCentrifugoReply,
  encodeProxyRequest,
  type AnyCentrifugoEvent,
  type ConnectEvent,
  type ProxyCallType,
  type PublishEvent,
  type RefreshEvent,
  type RPCEvent,
  type SubRefreshEvent,
  type SubscribeEvent,
} from '../../../src/bridges/centrifugo/index.js';
import { RR_TYPES, text } from './support.js';


function eventOf<E extends AnyCentrifugoEvent>(type: ProxyCallType): E {
  return centrifugoEventFrom(Buffer.from(JSON.stringify({ type: [RR_TYPES[type]] })), encodeProxyRequest(type, { client: 'c', user: 'u' })) as E;
}


describe('encodeCentrifugoReply', () => {
  describe('with no listener answer, sends the documented defaults', () => {
    it('connect: disconnect 3507 permission denied (refused, unlike an empty reply, which rr would turn into Centrifugo’s anonymous-or-3501 branch)', () => {
      expect(decodeProxyResponse('connect', encodeCentrifugoReply(eventOf('connect')))).to.deep.equal({
        result: undefined,
        error: undefined,
        disconnect: { code: 3507, reason: 'permission denied' },
      });
    });

    it('subscribe and publish: error 103 permission denied (an empty reply would let them through)', () => {
      for (const type of ['subscribe', 'publish'] as const) {
        expect(decodeProxyResponse(type, encodeCentrifugoReply(eventOf(type))).error, type).to.deep.equal({ code: 103, message: 'permission denied', temporary: false });
      }
    });

    it('rpc: error 104 method not found', () => {
      expect(decodeProxyResponse('rpc', encodeCentrifugoReply(eventOf('rpc'))).error).to.deep.equal({ code: 104, message: 'method not found', temporary: false });
    });

    it('refresh and sub-refresh: an expired result', () => {
      for (const type of ['refresh', 'sub_refresh'] as const) {
        expect(decodeProxyResponse(type, encodeCentrifugoReply(eventOf(type))).result, type).to.deep.include({ expired: true });
      }
    });

    it('an unreadable request: error 107 bad request', () => {
      const invalid = centrifugoEventFrom(Buffer.from('nope'), Buffer.alloc(0));
      expect(decodeProxyResponse('rpc', encodeCentrifugoReply(invalid)).error).to.deep.equal({ code: 107, message: 'bad request', temporary: false });
    });
  });

  it('encodes a connect result with JSON info, data and meta, bytes as they are, and subscriptions', () => {
    const event = eventOf<ConnectEvent>('connect');
    event.respond({
      user: '42',
      expireAt: 1_900_000_000,
      info: { name: 'Ada' },
      data: Uint8Array.of(1, 2, 3),
      meta: { role: 'admin' },
      channels: ['news'],
      subs: { 'chat:a': { info: 'x', override: { presence: false } } },
      caps: [{ channels: ['chat:*'], allow: ['sub'], match: 'wildcard' }],
    });
    const { result } = decodeProxyResponse('connect', encodeCentrifugoReply(event));
    expect(result?.user).to.equal('42');
    expect(result?.expireAt).to.equal(1_900_000_000);
    expect(text(result?.info)).to.equal('{"name":"Ada"}');
    expect([...(result?.data ?? [])]).to.deep.equal([1, 2, 3]);
    expect(text(result?.meta)).to.equal('{"role":"admin"}');
    expect(result?.channels).to.deep.equal(['news']);
    expect(text(result?.subs?.['chat:a']?.info)).to.equal('"x"');
    expect(result?.subs?.['chat:a']?.override).to.deep.equal({
      presence: { value: false },
      joinLeave: undefined,
      forceRecovery: undefined,
      forcePositioning: undefined,
      forcePushJoinLeave: undefined,
    });
    expect(result?.caps).to.deep.equal([{ channels: ['chat:*'], allow: ['sub'], match: 'wildcard' }]);
  });

  it('encodes the other results', () => {
    const subscribe = eventOf<SubscribeEvent>('subscribe');
    subscribe.respond({ expireAt: 10, data: { welcome: true }, allow: ['pub'] });
    expect(decodeProxyResponse('subscribe', encodeCentrifugoReply(subscribe)).result).to.deep.include({ expireAt: 10, allow: ['pub'] });

    const publish = eventOf<PublishEvent>('publish');
    publish.respond({ data: { text: 'HI' }, skipHistory: true });
    const published = decodeProxyResponse('publish', encodeCentrifugoReply(publish)).result;
    expect([text(published?.data), published?.skipHistory]).to.deep.equal(['{"text":"HI"}', true]);

    const accepted = eventOf<PublishEvent>('publish');
    accepted.respond({});
    // An empty result: Centrifugo publishes the client's data unchanged.
    expect(decodeProxyResponse('publish', encodeCentrifugoReply(accepted)).result?.data).to.deep.equal(new Uint8Array(0));

    const rpc = eventOf<RPCEvent>('rpc');
    rpc.respond({ data: 'pong' });
    expect(text(decodeProxyResponse('rpc', encodeCentrifugoReply(rpc)).result?.data)).to.equal('"pong"');

    const refresh = eventOf<RefreshEvent>('refresh');
    refresh.respond({ expireAt: 99, meta: { n: 1 } });
    expect(decodeProxyResponse('refresh', encodeCentrifugoReply(refresh)).result).to.deep.include({ expired: false, expireAt: 99 });

    const subRefresh = eventOf<SubRefreshEvent>('sub_refresh');
    subRefresh.respond({ expired: true });
    expect(decodeProxyResponse('sub_refresh', encodeCentrifugoReply(subRefresh)).result?.expired).to.equal(true);
  });

  it('sends the last reply a listener set: error() and disconnect() replace a result', () => {
    const event = eventOf<RPCEvent>('rpc');
    event.respond({ data: 1 });
    event.error(4000, 'slow down', { temporary: true });
    expect(decodeProxyResponse('rpc', encodeCentrifugoReply(event))).to.deep.include({ result: undefined, error: { code: 4000, message: 'slow down', temporary: true } });
    event.disconnect(4500, 'bye');
    expect(decodeProxyResponse('rpc', encodeCentrifugoReply(event)).disconnect).to.deep.equal({ code: 4500, reason: 'bye' });
    event.setReply(undefined);
    expect(decodeProxyResponse('rpc', encodeCentrifugoReply(event)).error?.code).to.equal(104);
  });

  it('refuses results Centrifugo could not use, with a CentrifugoReplyError naming the field', () => {
    const bad: Array<[(event: ConnectEvent) => void, RegExp]> = [
      [(event) => event.respond({ user: 42 as unknown as string }), /ConnectResult\.user must be a string/],
      [(event) => event.respond({ user: 'u', expireAt: Date.now() }), /ConnectResult\.expireAt must be a unix time in seconds, got \d+ \(milliseconds\?/],
      [(event) => event.respond({ user: 'u', expireAt: 1.5 }), /ConnectResult\.expireAt must be a unix time in whole seconds/],
      [(event) => event.respond({ user: 'u', data: { big: 1n } }), /ConnectResult\.data cannot be encoded as JSON/],
      [(event) => event.respond({ user: 'u', info: () => 1 }), /ConnectResult\.info cannot be encoded as JSON \(got function\)/],
      [(event) => event.respond({ user: 'u', channels: [1 as unknown as string] }), /ConnectResult\.channels must be a list of strings/],
      [(event) => event.respond({ user: 'u', subs: { a: { override: { presence: 'yes' as unknown as boolean } } } }), /ConnectResult\.subs\["a"\]\.override\.presence must be a boolean/],
    ];
    for (const [respond, message] of bad) {
      const event = eventOf<ConnectEvent>('connect');
      respond(event);
      expect(() => encodeCentrifugoReply(event)).to.throw(CentrifugoReplyError, message);
    }
    expect(() => eventOf<ConnectEvent>('connect').error(-1, 'x')).to.throw(CentrifugoReplyError, /error code must be an integer/);
    expect(() => eventOf<ConnectEvent>('connect').respond(null as unknown as { user: string })).to.throw(CentrifugoReplyError, /needs a result object/);
  });
});
