import type { AnyCentrifugoEvent } from './centrifugo-event-from.js';
import { CentrifugoDisconnectCode, CentrifugoErrorCode } from './codes.js';
import { CentrifugoReplyError } from './errors.js';
import type { CentrifugoErrorReply, CentrifugoReply, CentrifugoRequestType } from './events/centrifugo-event.js';
import type { ConnectResult } from './events/connect-event.js';
import type { PublishResult } from './events/publish-event.js';
import type { RefreshResult } from './events/refresh-event.js';
import type { ChannelsCapability, SubscribeOptionOverride, SubscribeOptions } from './events/result-options.js';
import type { RPCResult } from './events/rpc-event.js';
import type { SubRefreshResult } from './events/sub-refresh-event.js';
import type { SubscribeResult } from './events/subscribe-event.js';
import { encodePayload } from './payload.js';
import {
  encodeProxyFailure,
  encodeProxyResponse,
  type ChannelsCapabilityMessage,
  type ConnectResultMessage,
  type SubscribeOptionOverrideMessage,
  type SubscribeOptionsMessage,
} from './proto/proxy-v1.js';

/**
 * The reply sent when no listener answered, per event type: connect and subscribe are refused, as
 * the bundle documents (and, unlike the bundle, does); a publish is refused and an RPC is unknown,
 * so enabling a proxy without a listener never lets anything through; refresh and sub-refresh let
 * the connection or subscription expire; an unreadable request is a bad request.
 */
export const DEFAULT_CENTRIFUGO_REPLIES: Readonly<Record<CentrifugoRequestType | 'invalid', CentrifugoReply<{ readonly expired: true }>>> = {
  connect: { kind: 'disconnect', disconnect: { code: CentrifugoDisconnectCode.permissionDenied, reason: 'permission denied' } },
  subscribe: { kind: 'error', error: { code: CentrifugoErrorCode.permissionDenied, message: 'permission denied', temporary: false } },
  publish: { kind: 'error', error: { code: CentrifugoErrorCode.permissionDenied, message: 'permission denied', temporary: false } },
  rpc: { kind: 'error', error: { code: CentrifugoErrorCode.methodNotFound, message: 'method not found', temporary: false } },
  refresh: { kind: 'result', result: { expired: true } },
  sub_refresh: { kind: 'result', result: { expired: true } },
  invalid: { kind: 'error', error: { code: CentrifugoErrorCode.badRequest, message: 'bad request', temporary: false } },
};

/**
 * The reply to a listener that threw: Centrifugo's own internal error (100, temporary, so clients
 * retry with backoff as they do for Centrifugo's internal errors). Details stay in the worker's
 * log and in Sentry.
 */
export const INTERNAL_ERROR_REPLY: { readonly kind: 'error'; readonly error: CentrifugoErrorReply } = {
  kind: 'error',
  error: { code: CentrifugoErrorCode.internal, message: 'internal server error', temporary: true },
};

/**
 * Encodes the reply an event carries (its listeners' answer, else {@link DEFAULT_CENTRIFUGO_REPLIES})
 * as the protobuf response rr hands back to Centrifugo.
 *
 * @throws CentrifugoReplyError when a listener's result cannot be sent (see the error's doc).
 */
export function encodeCentrifugoReply(event: AnyCentrifugoEvent): Uint8Array {
  const type = event.type;
  const reply: CentrifugoReply<unknown> = event.reply ?? DEFAULT_CENTRIFUGO_REPLIES[type];
  if (reply.kind === 'error') return encodeProxyFailure({ error: reply.error });
  if (reply.kind === 'disconnect') return encodeProxyFailure({ disconnect: reply.disconnect });
  if (type === 'invalid') throw new CentrifugoReplyError('an InvalidEvent has no result to send: answer it with error() or disconnect()');
  return encodeResult(type, reply.result);
}

function encodeResult(type: CentrifugoRequestType, result: unknown): Uint8Array {
  switch (type) {
    case 'connect':
      return encodeProxyResponse('connect', { result: connectResult(result as ConnectResult) });
    case 'refresh': {
      const value = result as RefreshResult;
      return encodeProxyResponse('refresh', {
        result: {
          expired: optionalBoolean(value.expired, 'RefreshResult.expired'),
          expireAt: unixSeconds(value.expireAt, 'RefreshResult.expireAt'),
          info: encodePayload(value.info, 'RefreshResult.info'),
          meta: encodePayload(value.meta, 'RefreshResult.meta'),
          caps: capabilities(value.caps, 'RefreshResult.caps'),
        },
      });
    }
    case 'subscribe': {
      const value = result as SubscribeResult;
      return encodeProxyResponse('subscribe', {
        result: {
          expireAt: unixSeconds(value.expireAt, 'SubscribeResult.expireAt'),
          info: encodePayload(value.info, 'SubscribeResult.info'),
          data: encodePayload(value.data, 'SubscribeResult.data'),
          override: override(value.override, 'SubscribeResult.override'),
          allow: strings(value.allow, 'SubscribeResult.allow'),
        },
      });
    }
    case 'publish': {
      const value = result as PublishResult;
      return encodeProxyResponse('publish', {
        result: { data: encodePayload(value.data, 'PublishResult.data'), skipHistory: optionalBoolean(value.skipHistory, 'PublishResult.skipHistory') },
      });
    }
    case 'rpc':
      return encodeProxyResponse('rpc', { result: { data: encodePayload((result as RPCResult).data, 'RPCResult.data') } });
    case 'sub_refresh': {
      const value = result as SubRefreshResult;
      return encodeProxyResponse('sub_refresh', {
        result: {
          expired: optionalBoolean(value.expired, 'SubRefreshResult.expired'),
          expireAt: unixSeconds(value.expireAt, 'SubRefreshResult.expireAt'),
          info: encodePayload(value.info, 'SubRefreshResult.info'),
        },
      });
    }
  }
}

function connectResult(value: ConnectResult): ConnectResultMessage {
  if (typeof value.user !== 'string') {
    throw new CentrifugoReplyError(`ConnectResult.user must be a string (the user id; '' for an anonymous user), got ${value.user === null ? 'null' : typeof value.user}`);
  }
  let subs: Record<string, SubscribeOptionsMessage> | undefined;
  if (value.subs !== undefined) {
    subs = {};
    for (const [channel, options] of Object.entries(value.subs)) subs[channel] = subscribeOptions(options, `ConnectResult.subs[${JSON.stringify(channel)}]`);
  }
  return {
    user: value.user,
    expireAt: unixSeconds(value.expireAt, 'ConnectResult.expireAt'),
    info: encodePayload(value.info, 'ConnectResult.info'),
    data: encodePayload(value.data, 'ConnectResult.data'),
    channels: strings(value.channels, 'ConnectResult.channels'),
    ...(subs === undefined ? {} : { subs }),
    meta: encodePayload(value.meta, 'ConnectResult.meta'),
    caps: capabilities(value.caps, 'ConnectResult.caps'),
  };
}

function subscribeOptions(options: SubscribeOptions, where: string): SubscribeOptionsMessage {
  if (options === null || typeof options !== 'object') throw new CentrifugoReplyError(`${where} must be an object of subscribe options`);
  return {
    expireAt: unixSeconds(options.expireAt, `${where}.expireAt`),
    info: encodePayload(options.info, `${where}.info`),
    data: encodePayload(options.data, `${where}.data`),
    override: override(options.override, `${where}.override`),
  };
}

const OVERRIDE_KEYS = ['presence', 'joinLeave', 'forceRecovery', 'forcePositioning', 'forcePushJoinLeave'] as const;

function override(value: SubscribeOptionOverride | undefined, where: string): SubscribeOptionOverrideMessage | undefined {
  if (value === undefined) return undefined;
  const message: SubscribeOptionOverrideMessage = {};
  for (const key of OVERRIDE_KEYS) {
    const flag = optionalBoolean(value[key], `${where}.${key}`);
    // A set override is sent even when false: BoolValue tells "off" from "namespace default".
    if (flag !== undefined) message[key] = { value: flag };
  }
  return message;
}

function capabilities(value: readonly ChannelsCapability[] | undefined, where: string): ChannelsCapabilityMessage[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new CentrifugoReplyError(`${where} must be a list of capabilities`);
  return value.map((cap: ChannelsCapability, index) => ({
    channels: strings(cap.channels, `${where}[${index}].channels`),
    allow: strings(cap.allow, `${where}[${index}].allow`),
    ...(cap.match === undefined ? {} : { match: stringValue(cap.match, `${where}[${index}].match`) }),
  }));
}

function strings(value: readonly string[] | undefined, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new CentrifugoReplyError(`${where} must be a list of strings`);
  return value as string[];
}

function stringValue(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new CentrifugoReplyError(`${where} must be a string, got ${typeof value}`);
  return value;
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new CentrifugoReplyError(`${where} must be a boolean, got ${typeof value}`);
  return value;
}

// Year 5138 in seconds; anything larger is a time in milliseconds (Date.now()) by mistake.
const MAX_UNIX_SECONDS = 1e11;

function unixSeconds(value: number | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) throw new CentrifugoReplyError(`${where} must be a unix time in whole seconds, got ${String(value)}`);
  if (value > MAX_UNIX_SECONDS) throw new CentrifugoReplyError(`${where} must be a unix time in seconds, got ${value} (milliseconds? use Math.floor(Date.now() / 1000) + ttl)`);
  return value;
}
