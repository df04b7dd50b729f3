import { expect } from 'chai';
import { z } from 'zod';
import {
  centrifugoEventFrom,
  CentrifugoDataError,
  ConnectEvent,
  encodeProxyRequest,
  InvalidEvent,
  PublishEvent,
  RefreshEvent,
  RPCEvent,
  SubRefreshEvent,
  SubscribeEvent,
} from '../../../src/bridges/centrifugo/index.js';

/** rr's context: the gRPC metadata with rr's `type` appended. */
const context = (type: string, extra: Record<string, string[]> = {}) =>
  Buffer.from(JSON.stringify({ 'content-type': ['application/grpc'], ':authority': ['127.0.0.1'], ...extra, type: [...(extra['type'] ?? []), type] }));
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const base = { client: 'client-1', transport: 'websocket', protocol: 'json', encoding: 'json' };

describe('centrifugoEventFrom', () => {
  it('makes a ConnectEvent with the client data decoded, and parseData validates it with a zod schema', () => {
    const event = centrifugoEventFrom(
      context('connect'),
      encodeProxyRequest('connect', { ...base, data: json({ token: 'abc' }), name: 'js', version: '5.8.0', channels: ['news'] }),
    );
    expect(event).to.be.instanceOf(ConnectEvent);
    const connect = event as ConnectEvent;
    expect(connect.type).to.equal('connect');
    expect(connect.client).to.equal('client-1');
    expect(connect.transport).to.equal('websocket');
    expect(connect.data).to.deep.equal({ token: 'abc' });
    expect(Buffer.from(connect.rawData).toString()).to.equal('{"token":"abc"}');
    expect([connect.clientName, connect.clientVersion, connect.channels]).to.deep.equal(['js', '5.8.0', ['news']]);
    expect(connect.metadata['content-type']).to.deep.equal(['application/grpc']);
    expect(connect.parseData(z.object({ token: z.string() }))).to.deep.equal({ token: 'abc' });
    expect(() => connect.parseData(z.object({ token: z.number(), user: z.string() })))
      .to.throw(CentrifugoDataError, /^bad request: data\.token: .*; data\.user: /)
      .with.property('replyCode', 107);
  });

  it('makes each proxy event, with user, channel, method, data and the connection meta', () => {
    const meta = json({ role: 'admin' });
    const refresh = centrifugoEventFrom(context('refresh'), encodeProxyRequest('refresh', { ...base, user: 'u1', meta }));
    expect(refresh).to.be.instanceOf(RefreshEvent);
    expect((refresh as RefreshEvent).user).to.equal('u1');
    expect((refresh as RefreshEvent).meta).to.deep.equal({ role: 'admin' });

    const subscribe = centrifugoEventFrom(context('subscribe'), encodeProxyRequest('subscribe', { ...base, user: 'u1', channel: 'chat:a', token: 't', data: json([1]), meta }));
    expect(subscribe).to.be.instanceOf(SubscribeEvent);
    expect(subscribe).to.deep.include({ data: [1], meta: { role: 'admin' } });
    expect([(subscribe as SubscribeEvent).channel, (subscribe as SubscribeEvent).token]).to.deep.equal(['chat:a', 't']);

    const publish = centrifugoEventFrom(context('publish'), encodeProxyRequest('publish', { ...base, user: 'u1', channel: 'chat:a', data: json({ text: 'hi' }) }));
    expect(publish).to.be.instanceOf(PublishEvent);
    expect((publish as PublishEvent).data).to.deep.equal({ text: 'hi' });
    expect((publish as PublishEvent).meta).to.equal(undefined);

    const rpc = centrifugoEventFrom(context('rpc'), encodeProxyRequest('rpc', { ...base, user: 'u1', method: 'whoami' }));
    expect(rpc).to.be.instanceOf(RPCEvent);
    expect((rpc as RPCEvent).method).to.equal('whoami');
    expect((rpc as RPCEvent).data).to.equal(undefined);
  });

  it('accepts both spellings of sub-refresh: rr sends "subrefresh", the PHP SDK says "sub_refresh"', () => {
    for (const type of ['subrefresh', 'sub_refresh']) {
      const event = centrifugoEventFrom(context(type), encodeProxyRequest('sub_refresh', { ...base, user: 'u1', channel: 'chat:a' }));
      expect(event, type).to.be.instanceOf(SubRefreshEvent);
      expect((event as SubRefreshEvent).type).to.equal('sub_refresh');
      expect((event as SubRefreshEvent).channel).to.equal('chat:a');
    }
  });

  it('reads base64 payloads under binary_encoding and hands them over as bytes', () => {
    const event = centrifugoEventFrom(context('rpc'), encodeProxyRequest('rpc', { ...base, encoding: 'binary', method: 'm', b64data: Buffer.from([0, 255, 1]).toString('base64') }));
    expect((event as RPCEvent).data).to.deep.equal(Uint8Array.from([0, 255, 1]));
    const broken = centrifugoEventFrom(context('rpc'), encodeProxyRequest('rpc', { ...base, encoding: 'binary', b64data: '%%%' }));
    expect(broken).to.be.instanceOf(InvalidEvent);
    expect((broken as InvalidEvent).decodeError.message).to.equal('rpc request: b64data is not base64');
  });

  it('takes the last "type" value: rr appends its own after any forwarded header of that name', () => {
    const event = centrifugoEventFrom(context('rpc', { type: ['connect'] }), encodeProxyRequest('rpc', { ...base, method: 'm' }));
    expect(event).to.be.instanceOf(RPCEvent);
  });

  it('keeps a metadata key named __proto__ an ordinary key', () => {
    const raw = Buffer.from('{"__proto__":["x"],"type":["rpc"]}');
    const event = centrifugoEventFrom(raw, encodeProxyRequest('rpc', { method: 'm' }));
    expect(event.metadata['__proto__']).to.deep.equal(['x']);
    expect(Object.getPrototypeOf(event.metadata)).to.equal(null);
  });

  describe('turns what it cannot read into an InvalidEvent that says why', () => {
    const cases: Array<[string, Uint8Array, Uint8Array, RegExp, string | undefined]> = [
      ['a context that is not JSON', Buffer.from('{"type":'), Buffer.alloc(0), /^the context is not JSON \(8 bytes\)$/, undefined],
      ['a context that is an array', Buffer.from('[]'), Buffer.alloc(0), /must be a JSON object of metadata, got an array/, undefined],
      ['metadata that is not a list of strings', Buffer.from('{"type":"connect"}'), Buffer.alloc(0), /metadata "type" must be a list of strings/, undefined],
      ['no type', Buffer.from('{"x":["y"]}'), Buffer.alloc(0), /no request "type"/, undefined],
      ['a type the bridge does not serve', context('notifychannelstate'), Buffer.alloc(0), /unsupported request type "notifychannelstate"/, 'notifychannelstate'],
      ['a malformed protobuf body', context('connect'), Buffer.from([0x0a, 0x09, 0x61]), /^connect request: malformed protobuf body \(3 bytes\)/, 'connect'],
      ['data that is not JSON', context('connect'), encodeProxyRequest('connect', { ...base, data: Buffer.from('{nope') }), /^connect request: data is not JSON \(5 bytes\)$/, 'connect'],
      ['meta that is not JSON', context('subrefresh'), encodeProxyRequest('sub_refresh', { ...base, meta: Buffer.from('x') }), /^subrefresh request: meta is not JSON/, 'subrefresh'],
    ];
    for (const [what, ctx, body, message, requestType] of cases) {
      it(what, () => {
        const event = centrifugoEventFrom(ctx, body);
        expect(event).to.be.instanceOf(InvalidEvent);
        const invalid = event as InvalidEvent;
        expect(invalid.type).to.equal('invalid');
        expect(invalid.decodeError.code).to.equal('ERR_CENTRIFUGO_DECODE');
        expect(invalid.decodeError.message).to.match(message);
        expect(invalid.requestType).to.equal(requestType);
      });
    }
  });
});
