/**
 * Centrifugo's server API messages (package `centrifugal.centrifugo.api`, roadrunner-server/api
 * v4.24.0 `proto/centrifugo/api/v1/api.proto`), for the methods {@link CentrifugoApi} calls through
 * rr's `centrifuge.<Method>` RPC. Unlike the proxy's responses, API responses put `error` first:
 * `{ error = 1, result = 2 }`.
 */
import { messageSpec, type MessageSpec } from './message-spec.js';

const p = (name: string) => `centrifugal.centrifugo.api.${name}`;

const ErrorSpec = messageSpec(p('Error'), [
  { no: 1, name: 'code', type: 'uint32' },
  { no: 2, name: 'message', type: 'string' },
]);
const BoolValue = messageSpec(p('BoolValue'), [{ no: 1, name: 'value', type: 'bool' }]);
const SubscribeOptionOverride = messageSpec(p('SubscribeOptionOverride'), [
  { no: 1, name: 'presence', type: BoolValue },
  { no: 2, name: 'joinLeave', type: BoolValue },
  { no: 3, name: 'forceRecovery', type: BoolValue },
  { no: 4, name: 'forcePositioning', type: BoolValue },
  { no: 5, name: 'forcePushJoinLeave', type: BoolValue },
]);
const StreamPosition = messageSpec(p('StreamPosition'), [
  { no: 1, name: 'offset', type: 'uint64' },
  { no: 2, name: 'epoch', type: 'string' },
]);
const ClientInfo = messageSpec(p('ClientInfo'), [
  { no: 1, name: 'user', type: 'string' },
  { no: 2, name: 'client', type: 'string' },
  { no: 3, name: 'connInfo', type: 'bytes' },
  { no: 4, name: 'chanInfo', type: 'bytes' },
]);
const Publication = messageSpec(p('Publication'), [
  { no: 2, name: 'data', type: 'bytes' },
  { no: 3, name: 'info', type: ClientInfo },
  { no: 4, name: 'offset', type: 'uint64' },
  { no: 5, name: 'tags', type: 'string', map: true },
]);
const Disconnect = messageSpec(p('Disconnect'), [
  { no: 1, name: 'code', type: 'uint32' },
  { no: 2, name: 'reason', type: 'string' },
]);
const NodeResult = messageSpec(p('NodeResult'), [
  { no: 1, name: 'uid', type: 'string' },
  { no: 2, name: 'name', type: 'string' },
  { no: 3, name: 'version', type: 'string' },
  { no: 4, name: 'numClients', type: 'uint32' },
  { no: 5, name: 'numUsers', type: 'uint32' },
  { no: 6, name: 'numChannels', type: 'uint32' },
  { no: 7, name: 'uptime', type: 'uint32' },
  { no: 10, name: 'numSubs', type: 'uint32' },
]);
const ChannelInfo = messageSpec(p('ChannelInfo'), [{ no: 1, name: 'numClients', type: 'uint32' }]);

/** One API method: rr's RPC name, its request message and its response message. */
export interface ApiMethodSpec {
  readonly rpc: string;
  readonly request: MessageSpec;
  readonly result: MessageSpec;
  readonly response: MessageSpec;
}

function method(name: string, requestFields: MessageSpec['fields'], resultFields: MessageSpec['fields']): ApiMethodSpec {
  const result = messageSpec(p(`${name}Result`), resultFields);
  return {
    rpc: `centrifuge.${name}`,
    request: messageSpec(p(`${name}Request`), requestFields),
    result,
    response: messageSpec(p(`${name}Response`), [
      { no: 1, name: 'error', type: ErrorSpec },
      { no: 2, name: 'result', type: result },
    ]),
  };
}

const publish = method(
  'Publish',
  [
    { no: 1, name: 'channel', type: 'string' },
    { no: 2, name: 'data', type: 'bytes' },
    { no: 3, name: 'b64data', type: 'string' },
    { no: 4, name: 'skipHistory', type: 'bool' },
    { no: 5, name: 'tags', type: 'string', map: true },
    { no: 6, name: 'idempotencyKey', type: 'string' },
  ],
  [
    { no: 1, name: 'offset', type: 'uint64' },
    { no: 2, name: 'epoch', type: 'string' },
  ],
);

/** The server API methods the bridge calls, by rr RPC method. */
export const API_METHODS = {
  publish,
  broadcast: method(
    'Broadcast',
    [
      { no: 1, name: 'channels', type: 'string', repeated: true },
      { no: 2, name: 'data', type: 'bytes' },
      { no: 3, name: 'b64data', type: 'string' },
      { no: 4, name: 'skipHistory', type: 'bool' },
      { no: 5, name: 'tags', type: 'string', map: true },
      { no: 6, name: 'idempotencyKey', type: 'string' },
    ],
    [{ no: 1, name: 'responses', type: publish.response, repeated: true }],
  ),
  subscribe: method(
    'Subscribe',
    [
      { no: 1, name: 'channel', type: 'string' },
      { no: 2, name: 'user', type: 'string' },
      { no: 3, name: 'expireAt', type: 'int64' },
      { no: 4, name: 'info', type: 'bytes' },
      { no: 5, name: 'b64info', type: 'string' },
      { no: 6, name: 'client', type: 'string' },
      { no: 7, name: 'data', type: 'bytes' },
      { no: 8, name: 'b64data', type: 'string' },
      { no: 9, name: 'recoverSince', type: StreamPosition },
      { no: 10, name: 'override', type: SubscribeOptionOverride },
      { no: 11, name: 'session', type: 'string' },
    ],
    [],
  ),
  unsubscribe: method(
    'Unsubscribe',
    [
      { no: 1, name: 'channel', type: 'string' },
      { no: 2, name: 'user', type: 'string' },
      { no: 3, name: 'client', type: 'string' },
      { no: 4, name: 'session', type: 'string' },
    ],
    [],
  ),
  disconnect: method(
    'Disconnect',
    [
      { no: 1, name: 'user', type: 'string' },
      { no: 2, name: 'disconnect', type: Disconnect },
      { no: 3, name: 'client', type: 'string' },
      { no: 4, name: 'whitelist', type: 'string', repeated: true },
      { no: 5, name: 'session', type: 'string' },
    ],
    [],
  ),
  refresh: method(
    'Refresh',
    [
      { no: 1, name: 'user', type: 'string' },
      { no: 2, name: 'client', type: 'string' },
      { no: 3, name: 'expired', type: 'bool' },
      { no: 4, name: 'expireAt', type: 'int64' },
      { no: 5, name: 'info', type: 'bytes' },
      { no: 6, name: 'session', type: 'string' },
    ],
    [],
  ),
  presence: method('Presence', [{ no: 1, name: 'channel', type: 'string' }], [{ no: 1, name: 'presence', type: ClientInfo, map: true }]),
  presenceStats: method(
    'PresenceStats',
    [{ no: 1, name: 'channel', type: 'string' }],
    [
      { no: 1, name: 'numClients', type: 'uint32' },
      { no: 2, name: 'numUsers', type: 'uint32' },
    ],
  ),
  history: method(
    'History',
    [
      { no: 1, name: 'channel', type: 'string' },
      { no: 2, name: 'limit', type: 'int32' },
      { no: 3, name: 'since', type: StreamPosition },
      { no: 4, name: 'reverse', type: 'bool' },
    ],
    [
      { no: 1, name: 'publications', type: Publication, repeated: true },
      { no: 2, name: 'epoch', type: 'string' },
      { no: 3, name: 'offset', type: 'uint64' },
    ],
  ),
  historyRemove: method('HistoryRemove', [{ no: 1, name: 'channel', type: 'string' }], []),
  channels: method('Channels', [{ no: 1, name: 'pattern', type: 'string' }], [{ no: 1, name: 'channels', type: ChannelInfo, map: true }]),
  info: method('Info', [], [{ no: 1, name: 'nodes', type: NodeResult, repeated: true }]),
} as const satisfies Record<string, ApiMethodSpec>;

/** A server API method the bridge calls. */
export type ApiMethod = keyof typeof API_METHODS;

/** An API `Error`. */
export interface ApiErrorMessage {
  code: number;
  message: string;
}

/** The decoded shape of every API response. */
export interface ApiResponseMessage<Result> {
  error: ApiErrorMessage | undefined;
  result: Result | undefined;
}

export interface StreamPositionMessage {
  offset: number;
  epoch: string;
}

export interface ClientInfoMessage {
  user: string;
  client: string;
  connInfo: Uint8Array;
  chanInfo: Uint8Array;
}

export interface PublicationMessage {
  data: Uint8Array;
  info: ClientInfoMessage | undefined;
  offset: number;
  tags: Record<string, string>;
}

export interface PublishResultMessage {
  offset: number;
  epoch: string;
}

export interface NodeResultMessage {
  uid: string;
  name: string;
  version: string;
  numClients: number;
  numUsers: number;
  numChannels: number;
  uptime: number;
  numSubs: number;
}

/** The result message of each method. */
export interface ApiResultMessages {
  publish: PublishResultMessage;
  broadcast: { responses: Array<ApiResponseMessage<PublishResultMessage>> };
  subscribe: Record<string, never>;
  unsubscribe: Record<string, never>;
  disconnect: Record<string, never>;
  refresh: Record<string, never>;
  presence: { presence: Record<string, ClientInfoMessage> };
  presenceStats: { numClients: number; numUsers: number };
  history: { publications: PublicationMessage[]; epoch: string; offset: number };
  historyRemove: Record<string, never>;
  channels: { channels: Record<string, { numClients: number }> };
  info: { nodes: NodeResultMessage[] };
}
