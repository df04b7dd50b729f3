/**
 * Centrifugo's proxy protocol (package `centrifugal.centrifugo.proxy`, roadrunner-server/api
 * v4.24.0 `proto/centrifugo/proxy/v1/proxy.proto`, field numbers as in Centrifugo v6's own
 * `proxyproto`). rr's centrifuge plugin hands each proxy call to a worker as the protobuf request
 * in the frame body and reads the protobuf response back from the reply body.
 *
 * Every `*Response` has the same shape: `result = 1`, `error = 2`, `disconnect = 3`
 * (`NotifyChannelStateResponse` has no `disconnect`), so error and disconnect replies are encoded
 * the same way whatever the request was.
 */
import { decodeMessage, encodeMessage, messageSpec, type MessageSpec } from './message-spec.js';

/** The fields every proxy request starts with. */
export interface ProxyRequestBase {
  /** Centrifugo's id of the client connection. */
  client: string;
  /** `websocket`, `http_stream`, `sse`, ... */
  transport: string;
  /** `json` or `protobuf`: the client's protocol. */
  protocol: string;
  /** `json`, or `binary` when the proxy uses `binary_encoding` (payloads then travel as base64). */
  encoding: string;
}

export interface ConnectRequestMessage extends ProxyRequestBase {
  data: Uint8Array;
  b64data: string;
  name: string;
  version: string;
  channels: string[];
}

export interface RefreshRequestMessage extends ProxyRequestBase {
  user: string;
  meta: Uint8Array;
}

export interface SubscribeRequestMessage extends ProxyRequestBase {
  user: string;
  channel: string;
  token: string;
  meta: Uint8Array;
  data: Uint8Array;
  b64data: string;
}

export interface PublishRequestMessage extends ProxyRequestBase {
  user: string;
  channel: string;
  data: Uint8Array;
  b64data: string;
  meta: Uint8Array;
}

export interface RpcRequestMessage extends ProxyRequestBase {
  user: string;
  method: string;
  data: Uint8Array;
  b64data: string;
  meta: Uint8Array;
}

export interface SubRefreshRequestMessage extends ProxyRequestBase {
  user: string;
  channel: string;
  meta: Uint8Array;
}

/** `Error`: the request fails with this code; `temporary` lets clients retry. */
export interface ProxyErrorMessage {
  code: number;
  message: string;
  temporary?: boolean;
}

/** `Disconnect`: the client connection is closed with this code and reason. */
export interface ProxyDisconnectMessage {
  code: number;
  reason: string;
}

export interface BoolValueMessage {
  value: boolean;
}

export interface SubscribeOptionOverrideMessage {
  presence?: BoolValueMessage | undefined;
  joinLeave?: BoolValueMessage | undefined;
  forceRecovery?: BoolValueMessage | undefined;
  forcePositioning?: BoolValueMessage | undefined;
  forcePushJoinLeave?: BoolValueMessage | undefined;
}

export interface SubscribeOptionsMessage {
  expireAt?: number;
  info?: Uint8Array;
  b64info?: string;
  data?: Uint8Array;
  b64data?: string;
  override?: SubscribeOptionOverrideMessage | undefined;
}

export interface ChannelsCapabilityMessage {
  channels?: string[];
  allow?: string[];
  match?: string;
}

export interface ConnectResultMessage {
  user: string;
  expireAt?: number;
  info?: Uint8Array;
  b64info?: string;
  data?: Uint8Array;
  b64data?: string;
  channels?: string[];
  subs?: Record<string, SubscribeOptionsMessage>;
  meta?: Uint8Array;
  caps?: ChannelsCapabilityMessage[];
}

export interface RefreshResultMessage {
  expired?: boolean;
  expireAt?: number;
  info?: Uint8Array;
  b64info?: string;
  meta?: Uint8Array;
  caps?: ChannelsCapabilityMessage[];
}

export interface SubscribeResultMessage {
  expireAt?: number;
  info?: Uint8Array;
  b64info?: string;
  data?: Uint8Array;
  b64data?: string;
  override?: SubscribeOptionOverrideMessage | undefined;
  allow?: string[];
}

export interface PublishResultMessage {
  data?: Uint8Array;
  b64data?: string;
  skipHistory?: boolean;
}

export interface RpcResultMessage {
  data?: Uint8Array;
  b64data?: string;
}

export interface SubRefreshResultMessage {
  expired?: boolean;
  expireAt?: number;
  info?: Uint8Array;
  b64info?: string;
}

/** Any `*Response`: at most one of the three is set. */
export interface ProxyResponseMessage<Result> {
  result?: Result | undefined;
  error?: ProxyErrorMessage | undefined;
  disconnect?: ProxyDisconnectMessage | undefined;
}

const base = [
  { no: 1, name: 'client', type: 'string' },
  { no: 2, name: 'transport', type: 'string' },
  { no: 3, name: 'protocol', type: 'string' },
  { no: 4, name: 'encoding', type: 'string' },
] as const;

const Disconnect = messageSpec('centrifugal.centrifugo.proxy.Disconnect', [
  { no: 1, name: 'code', type: 'uint32' },
  { no: 2, name: 'reason', type: 'string' },
]);
const ErrorSpec = messageSpec('centrifugal.centrifugo.proxy.Error', [
  { no: 1, name: 'code', type: 'uint32' },
  { no: 2, name: 'message', type: 'string' },
  { no: 3, name: 'temporary', type: 'bool' },
]);
const BoolValue = messageSpec('centrifugal.centrifugo.proxy.BoolValue', [{ no: 1, name: 'value', type: 'bool' }]);
const SubscribeOptionOverride = messageSpec('centrifugal.centrifugo.proxy.SubscribeOptionOverride', [
  { no: 1, name: 'presence', type: BoolValue },
  { no: 2, name: 'joinLeave', type: BoolValue },
  { no: 3, name: 'forceRecovery', type: BoolValue },
  { no: 4, name: 'forcePositioning', type: BoolValue },
  { no: 5, name: 'forcePushJoinLeave', type: BoolValue },
]);
const SubscribeOptions = messageSpec('centrifugal.centrifugo.proxy.SubscribeOptions', [
  { no: 1, name: 'expireAt', type: 'int64' },
  { no: 2, name: 'info', type: 'bytes' },
  { no: 3, name: 'b64info', type: 'string' },
  { no: 4, name: 'data', type: 'bytes' },
  { no: 5, name: 'b64data', type: 'string' },
  { no: 6, name: 'override', type: SubscribeOptionOverride },
]);
const ChannelsCapability = messageSpec('centrifugal.centrifugo.proxy.ChannelsCapability', [
  { no: 1, name: 'channels', type: 'string', repeated: true },
  { no: 2, name: 'allow', type: 'string', repeated: true },
  { no: 3, name: 'match', type: 'string' },
]);

/** The request and result messages of one proxy call. */
export interface ProxyCallSpec {
  readonly request: MessageSpec;
  readonly result: MessageSpec;
  readonly response: MessageSpec;
}

function call(name: string, requestFields: MessageSpec['fields'], resultFields: MessageSpec['fields']): ProxyCallSpec {
  const result = messageSpec(`centrifugal.centrifugo.proxy.${name}Result`, resultFields);
  return {
    request: messageSpec(`centrifugal.centrifugo.proxy.${name}Request`, [...base, ...requestFields]),
    result,
    response: messageSpec(`centrifugal.centrifugo.proxy.${name}Response`, [
      { no: 1, name: 'result', type: result },
      { no: 2, name: 'error', type: ErrorSpec },
      { no: 3, name: 'disconnect', type: Disconnect },
    ]),
  };
}

/** The six proxy calls rr forwards to workers, by the request type rr names them with. */
export const PROXY_CALLS = {
  connect: call(
    'Connect',
    [
      { no: 10, name: 'data', type: 'bytes' },
      { no: 11, name: 'b64data', type: 'string' },
      { no: 12, name: 'name', type: 'string' },
      { no: 13, name: 'version', type: 'string' },
      { no: 14, name: 'channels', type: 'string', repeated: true },
    ],
    [
      { no: 1, name: 'user', type: 'string' },
      { no: 2, name: 'expireAt', type: 'int64' },
      { no: 3, name: 'info', type: 'bytes' },
      { no: 4, name: 'b64info', type: 'string' },
      { no: 5, name: 'data', type: 'bytes' },
      { no: 6, name: 'b64data', type: 'string' },
      { no: 7, name: 'channels', type: 'string', repeated: true },
      { no: 8, name: 'subs', type: SubscribeOptions, map: true },
      { no: 9, name: 'meta', type: 'bytes' },
      { no: 10, name: 'caps', type: ChannelsCapability, repeated: true },
    ],
  ),
  refresh: call(
    'Refresh',
    [
      { no: 10, name: 'user', type: 'string' },
      { no: 11, name: 'meta', type: 'bytes' },
    ],
    [
      { no: 1, name: 'expired', type: 'bool' },
      { no: 2, name: 'expireAt', type: 'int64' },
      { no: 3, name: 'info', type: 'bytes' },
      { no: 4, name: 'b64info', type: 'string' },
      { no: 5, name: 'meta', type: 'bytes' },
      { no: 6, name: 'caps', type: ChannelsCapability, repeated: true },
    ],
  ),
  subscribe: call(
    'Subscribe',
    [
      { no: 10, name: 'user', type: 'string' },
      { no: 11, name: 'channel', type: 'string' },
      { no: 12, name: 'token', type: 'string' },
      { no: 13, name: 'meta', type: 'bytes' },
      { no: 14, name: 'data', type: 'bytes' },
      { no: 15, name: 'b64data', type: 'string' },
    ],
    [
      { no: 1, name: 'expireAt', type: 'int64' },
      { no: 2, name: 'info', type: 'bytes' },
      { no: 3, name: 'b64info', type: 'string' },
      { no: 4, name: 'data', type: 'bytes' },
      { no: 5, name: 'b64data', type: 'string' },
      { no: 6, name: 'override', type: SubscribeOptionOverride },
      { no: 7, name: 'allow', type: 'string', repeated: true },
    ],
  ),
  publish: call(
    'Publish',
    [
      { no: 10, name: 'user', type: 'string' },
      { no: 11, name: 'channel', type: 'string' },
      { no: 12, name: 'data', type: 'bytes' },
      { no: 13, name: 'b64data', type: 'string' },
      { no: 14, name: 'meta', type: 'bytes' },
    ],
    [
      { no: 1, name: 'data', type: 'bytes' },
      { no: 2, name: 'b64data', type: 'string' },
      { no: 3, name: 'skipHistory', type: 'bool' },
    ],
  ),
  rpc: call(
    'RPC',
    [
      { no: 10, name: 'user', type: 'string' },
      { no: 11, name: 'method', type: 'string' },
      { no: 12, name: 'data', type: 'bytes' },
      { no: 13, name: 'b64data', type: 'string' },
      { no: 14, name: 'meta', type: 'bytes' },
    ],
    [
      { no: 1, name: 'data', type: 'bytes' },
      { no: 2, name: 'b64data', type: 'string' },
    ],
  ),
  sub_refresh: call(
    'SubRefresh',
    [
      { no: 10, name: 'user', type: 'string' },
      { no: 11, name: 'channel', type: 'string' },
      { no: 12, name: 'meta', type: 'bytes' },
    ],
    [
      { no: 1, name: 'expired', type: 'bool' },
      { no: 2, name: 'expireAt', type: 'int64' },
      { no: 3, name: 'info', type: 'bytes' },
      { no: 4, name: 'b64info', type: 'string' },
    ],
  ),
} as const satisfies Record<string, ProxyCallSpec>;

/** A proxy call the bridge serves, named as in the PHP SDK (`sub_refresh`; rr sends `subrefresh`). */
export type ProxyCallType = keyof typeof PROXY_CALLS;

/** The request message of each call type. */
export interface ProxyRequestMessages {
  connect: ConnectRequestMessage;
  refresh: RefreshRequestMessage;
  subscribe: SubscribeRequestMessage;
  publish: PublishRequestMessage;
  rpc: RpcRequestMessage;
  sub_refresh: SubRefreshRequestMessage;
}

/** The result message of each call type. */
export interface ProxyResultMessages {
  connect: ConnectResultMessage;
  refresh: RefreshResultMessage;
  subscribe: SubscribeResultMessage;
  publish: PublishResultMessage;
  rpc: RpcResultMessage;
  sub_refresh: SubRefreshResultMessage;
}

/** Decodes the request of a proxy call; throws on malformed bytes (callers wrap the error). */
export function decodeProxyRequest<T extends ProxyCallType>(type: T, bytes: Uint8Array): ProxyRequestMessages[T] {
  return decodeMessage(PROXY_CALLS[type].request, bytes);
}

/** Encodes the request of a proxy call (what rr sends): for tests and tools that play rr's side. */
export function encodeProxyRequest<T extends ProxyCallType>(type: T, message: Partial<ProxyRequestMessages[T]>): Uint8Array {
  return encodeMessage(PROXY_CALLS[type].request, message);
}

/** Encodes a proxy call's response. */
export function encodeProxyResponse<T extends ProxyCallType>(type: T, message: ProxyResponseMessage<ProxyResultMessages[T]>): Uint8Array {
  return encodeMessage(PROXY_CALLS[type].response, message);
}

/** Decodes a proxy call's response (what rr reads): for tests and tools that play rr's side. */
export function decodeProxyResponse<T extends ProxyCallType>(type: T, bytes: Uint8Array): ProxyResponseMessage<ProxyResultMessages[T]> {
  return decodeMessage(PROXY_CALLS[type].response, bytes);
}

/**
 * The response with only an error or a disconnect, valid for every call type (their fields 2 and
 * 3 are the same), including the ones the bridge does not serve (`notifychannelstate`).
 */
export function encodeProxyFailure(failure: { error: ProxyErrorMessage } | { disconnect: ProxyDisconnectMessage }): Uint8Array {
  return encodeMessage(PROXY_CALLS.connect.response, failure);
}
