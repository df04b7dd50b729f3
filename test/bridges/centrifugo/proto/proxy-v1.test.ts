/**
 * The table-driven Centrifugo codecs against an independent protobuf implementation (protobufjs,
 * reading a schema written here from the same field numbers): what we encode, it decodes; what it
 * encodes, we decode. Plus the strictness a hostile peer needs.
 */
import { expect } from 'chai';
import protobuf from 'protobufjs';
import {
  decodeProxyRequest,
  decodeProxyResponse,
  encodeProxyFailure,
  encodeProxyRequest,
  encodeProxyResponse,
} from '../../../../src/bridges/centrifugo/proto/proxy-v1.js';
import { API_METHODS } from '../../../../src/bridges/centrifugo/proto/api-v1.js';
import { decodeMessage, encodeMessage, WireDecodeError } from '../../../../src/bridges/centrifugo/proto/message-spec.js';

const SCHEMA = `
syntax = "proto3";
package proxy;
message Disconnect { uint32 code = 1; string reason = 2; }
message Error { uint32 code = 1; string message = 2; bool temporary = 3; }
message ConnectRequest { string client = 1; string transport = 2; string protocol = 3; string encoding = 4;
  bytes data = 10; string b64data = 11; string name = 12; string version = 13; repeated string channels = 14; }
message BoolValue { bool value = 1; }
message SubscribeOptionOverride { BoolValue presence = 1; BoolValue join_leave = 2; BoolValue force_recovery = 3;
  BoolValue force_positioning = 4; BoolValue force_push_join_leave = 5; }
message SubscribeOptions { int64 expire_at = 1; bytes info = 2; string b64info = 3; bytes data = 4; string b64data = 5;
  SubscribeOptionOverride override = 6; }
message ChannelsCapability { repeated string channels = 1; repeated string allow = 2; string match = 3; }
message ConnectResult { string user = 1; int64 expire_at = 2; bytes info = 3; string b64info = 4; bytes data = 5;
  string b64data = 6; repeated string channels = 7; map<string, SubscribeOptions> subs = 8; bytes meta = 9;
  repeated ChannelsCapability caps = 10; }
message ConnectResponse { ConnectResult result = 1; Error error = 2; Disconnect disconnect = 3; }
message SubRefreshRequest { string client = 1; string transport = 2; string protocol = 3; string encoding = 4;
  string user = 10; string channel = 11; bytes meta = 12; }
message RPCResult { bytes data = 1; string b64data = 2; }
message RPCResponse { RPCResult result = 1; Error error = 2; Disconnect disconnect = 3; }
message ApiError { uint32 code = 1; string message = 2; }
message PublishRequest { string channel = 1; bytes data = 2; string b64data = 3; bool skip_history = 4;
  map<string, string> tags = 5; string idempotency_key = 6; }
message ClientInfo { string user = 1; string client = 2; bytes conn_info = 3; bytes chan_info = 4; }
message PresenceResult { map<string, ClientInfo> presence = 1; }
message PresenceResponse { ApiError error = 1; PresenceResult result = 2; }
`;
const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const type = (name: string) => root.lookupType(`proxy.${name}`);
const utf8 = (text: string) => Buffer.from(text);

describe('Centrifugo protobuf codecs', () => {
  it('decodes a ConnectRequest that protobufjs encoded', () => {
    const bytes = type('ConnectRequest')
      .encode({ client: 'c1', transport: 'websocket', protocol: 'json', encoding: 'json', data: utf8('{"token":"t"}'), name: 'js', version: '5.8.0', channels: ['a', 'b'] })
      .finish();
    const request = decodeProxyRequest('connect', bytes);
    expect(request).to.deep.include({ client: 'c1', transport: 'websocket', protocol: 'json', encoding: 'json', b64data: '', name: 'js', version: '5.8.0' });
    expect(request.channels).to.deep.equal(['a', 'b']);
    expect(Buffer.from(request.data).toString()).to.equal('{"token":"t"}');
  });

  it('gives every absent field its proto3 default', () => {
    const request = decodeProxyRequest('sub_refresh', new Uint8Array(0));
    expect(request).to.deep.equal({ client: '', transport: '', protocol: '', encoding: '', user: '', channel: '', meta: new Uint8Array(0) });
  });

  it('encodes a ConnectResponse whose result protobufjs reads back field by field (map of messages, BoolValue overrides, caps)', () => {
    const bytes = encodeProxyResponse('connect', {
      result: {
        user: 'alice',
        expireAt: 1_900_000_000,
        info: utf8('{"name":"Alice"}'),
        data: utf8('{"hello":1}'),
        channels: ['news'],
        subs: { 'chat:a': { expireAt: 5, data: utf8('"x"'), override: { presence: { value: false }, joinLeave: { value: true } } } },
        meta: utf8('{"role":"admin"}'),
        caps: [{ channels: ['chat:*'], allow: ['sub', 'pub'], match: 'wildcard' }],
      },
    });
    const decoded = type('ConnectResponse').toObject(type('ConnectResponse').decode(bytes), { longs: Number, defaults: false }) as Record<string, any>;
    const result = decoded.result;
    expect(result.user).to.equal('alice');
    expect(result.expireAt).to.equal(1_900_000_000);
    expect(Buffer.from(result.info).toString()).to.equal('{"name":"Alice"}');
    expect(result.channels).to.deep.equal(['news']);
    expect(result.subs['chat:a'].expireAt).to.equal(5);
    // A false override is sent (it differs from "not overridden").
    expect(result.subs['chat:a'].override).to.deep.equal({ presence: {}, joinLeave: { value: true } });
    expect(result.caps).to.deep.equal([{ channels: ['chat:*'], allow: ['sub', 'pub'], match: 'wildcard' }]);
    expect(decoded.error).to.equal(undefined);
    expect(decoded.disconnect).to.equal(undefined);
    // And our decoder reads our bytes back the same.
    const ours = decodeProxyResponse('connect', bytes);
    expect(ours.result?.subs?.['chat:a']?.override?.presence).to.deep.equal({ value: false });
  });

  it('encodes error and disconnect replies that any response type reads (fields 2 and 3)', () => {
    const error = type('RPCResponse').decode(encodeProxyFailure({ error: { code: 103, message: 'permission denied', temporary: true } })).toJSON();
    expect(error).to.deep.equal({ error: { code: 103, message: 'permission denied', temporary: true } });
    const disconnect = type('ConnectResponse').decode(encodeProxyFailure({ disconnect: { code: 3507, reason: 'permission denied' } })).toJSON();
    expect(disconnect).to.deep.equal({ disconnect: { code: 3507, reason: 'permission denied' } });
  });

  it('sends a set result even when it is empty (Centrifugo tells "allowed" from "no answer" by it)', () => {
    const bytes = encodeProxyResponse('rpc', { result: {} });
    expect(Buffer.from(bytes).toString('hex')).to.equal('0a00');
    expect(type('RPCResponse').decode(bytes).toJSON()).to.deep.equal({ result: {} });
  });

  it('encodes API requests (string maps) and decodes API responses (maps of messages) as protobufjs does', () => {
    const request = encodeMessage(API_METHODS.publish.request, { channel: 'chat:a', data: utf8('{}'), skipHistory: true, tags: { k: 'v' }, idempotencyKey: 'id-1' });
    expect(type('PublishRequest').decode(request).toJSON()).to.deep.equal({
      channel: 'chat:a',
      data: Buffer.from('{}').toString('base64'),
      skipHistory: true,
      tags: { k: 'v' },
      idempotencyKey: 'id-1',
    });
    const response = type('PresenceResponse').encode({ result: { presence: { c1: { user: 'bob', client: 'c1', connInfo: utf8('{"n":1}') } } } }).finish();
    const decoded = decodeMessage<{ result: { presence: Record<string, { user: string; connInfo: Uint8Array }> } }>(API_METHODS.presence.response, response);
    expect(decoded.result.presence['c1']!.user).to.equal('bob');
    expect(Buffer.from(decoded.result.presence['c1']!.connInfo).toString()).to.equal('{"n":1}');
  });

  it('round-trips every request type through our encoder and decoder', () => {
    const base = { client: 'c', transport: 'websocket', protocol: 'protobuf', encoding: 'binary' };
    expect(decodeProxyRequest('refresh', encodeProxyRequest('refresh', { ...base, user: 'u', meta: utf8('{}') }))).to.deep.include({ user: 'u' });
    expect(decodeProxyRequest('subscribe', encodeProxyRequest('subscribe', { ...base, user: 'u', channel: 'ch', token: 'tok', b64data: 'AA==' }))).to.deep.include({
      channel: 'ch',
      token: 'tok',
      b64data: 'AA==',
    });
    expect(decodeProxyRequest('publish', encodeProxyRequest('publish', { ...base, channel: 'ch', data: Uint8Array.of(1, 2) })).data).to.deep.equal(Uint8Array.of(1, 2));
    expect(decodeProxyRequest('rpc', encodeProxyRequest('rpc', { ...base, method: 'm' })).method).to.equal('m');
    const subRefresh = type('SubRefreshRequest').encode({ ...base, user: 'u', channel: 'ch' }).finish();
    expect(decodeProxyRequest('sub_refresh', subRefresh)).to.deep.include({ ...base, user: 'u', channel: 'ch' });
  });

  it('skips unknown fields (Centrifugo v6 sends fields rr v4.24 protos lack)', () => {
    // ConnectRequest { 1: "c", 99: varint 7, 98: bytes "zz" }
    const bytes = Buffer.from([0x0a, 0x01, 0x63, 0x98, 0x06, 0x07, 0x92, 0x06, 0x02, 0x7a, 0x7a]);
    expect(decodeProxyRequest('connect', bytes).client).to.equal('c');
  });

  it('refuses a wrong wire type, a length past the end, a truncated varint and invalid UTF-8', () => {
    // field 1 (client, a string) sent as a varint
    expect(() => decodeProxyRequest('connect', Buffer.from([0x08, 0x01]))).to.throw(WireDecodeError, /ConnectRequest\.client \(field 1\) has wire type 0/);
    expect(() => decodeProxyRequest('connect', Buffer.from([0x0a, 0x05, 0x61]))).to.throw();
    expect(() => decodeProxyRequest('connect', Buffer.from([0x0a, 0xff]))).to.throw();
    expect(() => decodeProxyRequest('connect', Buffer.from([0x0a, 0x02, 0xc3, 0x28]))).to.throw();
    // a nested message whose own length runs past its parent
    expect(() => decodeProxyResponse('connect', Buffer.from([0x0a, 0x02, 0x0a, 0x05]))).to.throw();
  });
});
