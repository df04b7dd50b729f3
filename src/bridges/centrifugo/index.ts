/**
 * Centrifugo real-time events through rr's centrifuge plugin: every proxy call Centrifugo makes
 * (connect, refresh, subscribe, publish, RPC, sub-refresh) reaches a worker started with
 * `RR_MODE=centrifuge` as an event dispatched to container-resolved listeners, and
 * {@link CentrifugoApi} publishes to channels (and more) from anywhere in the app.
 *
 * ```ts
 * import { z } from 'zod';
 * import { AsEventListener, createContainer, defineApp, Inject, Service } from 'roadrunner-runtime';
 * import {
 *   CentrifugoApi, centrifugoBindings, centrifugeMode, ConnectEvent, RPCEvent, SubscribeEvent,
 * } from 'roadrunner-runtime/centrifugo';
 *
 * const ConnectData = z.object({ token: z.string() });
 *
 * @Service()
 * @AsEventListener({ event: ConnectEvent, method: 'connect' })
 * @AsEventListener({ event: SubscribeEvent, method: 'subscribe' })
 * @AsEventListener({ event: RPCEvent, method: 'rpc' })
 * class ChatListener {
 *   constructor(@Inject(Users) private readonly users: Users) {}
 *
 *   async connect(event: ConnectEvent) {
 *     const { token } = event.parseData(ConnectData);   // refused data: the client gets 107
 *     const user = await this.users.byToken(token);
 *     if (!user) return event.disconnect(4501, 'unauthorized');
 *     event.respond({ user: user.id, data: { name: user.name } }); // the client's ctx.data
 *     event.stopPropagation();
 *   }
 *
 *   subscribe(event: SubscribeEvent) {
 *     if (event.channel.startsWith('chat:')) event.respond({});    // no answer: 103, permission denied
 *   }
 *
 *   rpc(event: RPCEvent) {
 *     if (event.method === 'whoami') event.respond({ data: { user: event.user } });
 *   }
 * }
 *
 * const container = createContainer({ services: [Users, ChatListener], bindings: [...centrifugoBindings()] });
 *
 * export default defineApp({
 *   modes: { centrifuge: centrifugeMode({ container, listeners: [ChatListener] }) },
 * });
 *
 * // Anywhere else (an HTTP controller, a job handler): @Inject(CentrifugoApi) api: CentrifugoApi
 * await api.publish('chat:lobby', { text: 'hello' });
 * ```
 *
 * No answer means no: connect gets disconnect 3507, subscribe and publish error 103, RPC 104,
 * refresh and sub-refresh expire, an unreadable request (`InvalidEvent`) 107. A listener that throws
 * gives the client 100 (internal server error, temporary), is logged and reported, and the worker
 * keeps serving; throw `CentrifugoClientError(code, message)` to refuse with your own code.
 *
 * @module
 */
export { centrifugeMode, type CentrifugeModeOptions } from './centrifuge-mode.js';
export { CENTRIFUGO_EVENT, centrifugoBindings, centrifugoEventBinding, type CentrifugoBindingsOptions } from './centrifugo-bindings.js';
export {
  CentrifugoApi,
  type BroadcastOutcome,
  type CentrifugoApiOptions,
  type HistoryPublication,
  type PresenceClient,
  type PublishOptions,
  type StreamPosition,
} from './centrifugo-api.js';
export { centrifugoEventFrom, type AnyCentrifugoEvent } from './centrifugo-event-from.js';
export { DEFAULT_CENTRIFUGO_REPLIES, encodeCentrifugoReply, INTERNAL_ERROR_REPLY } from './encode-reply.js';
export { CentrifugoDisconnectCode, CentrifugoErrorCode } from './codes.js';
export {
  CentrifugoEvent,
  CentrifugoReplyEvent,
  type CentrifugoDisconnectReply,
  type CentrifugoErrorReply,
  type CentrifugoMetadata,
  type CentrifugoReply,
  type CentrifugoRequestType,
} from './events/centrifugo-event.js';
export { ConnectedDataEvent, ConnectedEvent } from './events/connected-event.js';
export { ConnectEvent, type ConnectResult } from './events/connect-event.js';
export { RefreshEvent, type RefreshResult } from './events/refresh-event.js';
export { SubscribeEvent, type SubscribeResult } from './events/subscribe-event.js';
export { PublishEvent, type PublishResult } from './events/publish-event.js';
export { RPCEvent, type RPCResult } from './events/rpc-event.js';
export { SubRefreshEvent, type SubRefreshResult } from './events/sub-refresh-event.js';
export { InvalidEvent } from './events/invalid-event.js';
export type { ChannelsCapability, SubscribeOptionOverride, SubscribeOptions } from './events/result-options.js';
export {
  decodeProxyRequest,
  decodeProxyResponse,
  encodeProxyFailure,
  encodeProxyRequest,
  encodeProxyResponse,
  type ConnectRequestMessage,
  type ProxyCallType,
  type ProxyRequestBase,
  type PublishRequestMessage,
  type RefreshRequestMessage,
  type RpcRequestMessage,
  type SubRefreshRequestMessage,
  type SubscribeRequestMessage,
} from './proto/proxy-v1.js';
export {
  CentrifugoApiConnectionError,
  CentrifugoApiError,
  CentrifugoApiReplyError,
  CentrifugoClientError,
  CentrifugoConfigError,
  CentrifugoDataError,
  CentrifugoDecodeError,
  CentrifugoError,
  CentrifugoReplyError,
} from './errors.js';
// Types the public signatures above mention, so users can name them (and the API reference links them).
export { PROXY_CALLS } from './proto/proxy-v1.js';
export type { BoolValueMessage, ChannelsCapabilityMessage, ConnectResultMessage, ProxyCallSpec, ProxyDisconnectMessage, ProxyErrorMessage, ProxyRequestMessages, ProxyResponseMessage, ProxyResultMessages, PublishResultMessage, RefreshResultMessage, RpcResultMessage, SubRefreshResultMessage, SubscribeOptionOverrideMessage, SubscribeOptionsMessage, SubscribeResultMessage } from './proto/proxy-v1.js';
export type { ListenerClass } from '../../runtime/events/as-event-listener.js';
export type { NodeResultMessage } from './proto/api-v1.js';
export type { FieldSpec, MessageSpec, ScalarType } from './proto/message-spec.js';
