import { CentrifugoDecodeError } from './errors.js';
import type { CentrifugoMetadata, CentrifugoRequestType } from './events/centrifugo-event.js';
import { ConnectEvent } from './events/connect-event.js';
import { InvalidEvent } from './events/invalid-event.js';
import { PublishEvent } from './events/publish-event.js';
import { RefreshEvent } from './events/refresh-event.js';
import { RPCEvent } from './events/rpc-event.js';
import { SubRefreshEvent } from './events/sub-refresh-event.js';
import { SubscribeEvent } from './events/subscribe-event.js';
import { decodeProxyRequest, type ProxyCallType, type ProxyRequestMessages } from './proto/proxy-v1.js';
import { decodePayload, parseJson, payloadBytes } from './payload.js';

/** Any event the bridge dispatches for a proxy request. */
export type AnyCentrifugoEvent = ConnectEvent | RefreshEvent | SubscribeEvent | PublishEvent | RPCEvent | SubRefreshEvent | InvalidEvent;

// rr's centrifuge plugin sends `subrefresh`; the PHP SDK (and so the bundle) says `sub_refresh`.
const REQUEST_TYPES: Readonly<Record<string, CentrifugoRequestType>> = Object.assign(Object.create(null), {
  connect: 'connect',
  refresh: 'refresh',
  subscribe: 'subscribe',
  publish: 'publish',
  rpc: 'rpc',
  subrefresh: 'sub_refresh',
  sub_refresh: 'sub_refresh',
});

const EMPTY_METADATA: CentrifugoMetadata = Object.freeze(Object.create(null));

/**
 * Turns one proxy request from rr (the frame's context and body) into the event to dispatch.
 * Never throws for bad input: whatever cannot be read (context that is not rr's metadata JSON, a
 * missing or unsupported `type`, a malformed protobuf body, a JSON payload that is not JSON)
 * becomes an {@link InvalidEvent} carrying a `CentrifugoDecodeError` that says what was wrong.
 */
export function centrifugoEventFrom(context: Uint8Array, body: Uint8Array): AnyCentrifugoEvent {
  let metadata = EMPTY_METADATA;
  try {
    metadata = parseMetadata(context);
    const rrType = requestTypeOf(metadata);
    const type = REQUEST_TYPES[rrType];
    if (type === undefined) throw new CentrifugoDecodeError(`unsupported request type ${JSON.stringify(rrType)}`, rrType);
    return eventOf(type, rrType, body, metadata);
  } catch (error) {
    const decodeError = error instanceof CentrifugoDecodeError ? error : new CentrifugoDecodeError(`cannot decode the request: ${(error as Error).message}`, undefined, { cause: error });
    return new InvalidEvent(decodeError, metadata);
  }
}

function eventOf(type: CentrifugoRequestType, rrType: string, body: Uint8Array, metadata: CentrifugoMetadata): AnyCentrifugoEvent {
  const decode = <T extends ProxyCallType>(call: T): ProxyRequestMessages[T] => {
    try {
      return decodeProxyRequest(call, body);
    } catch (error) {
      throw new CentrifugoDecodeError(`malformed protobuf body (${body.length} bytes): ${(error as Error).message}`, rrType, { cause: error });
    }
  };
  const payloads = (request: { data: Uint8Array; b64data: string; encoding: string; meta: Uint8Array }) => {
    const rawData = payloadBytes(request.data, request.b64data, 'data', rrType);
    return { rawData, data: decodePayload(rawData, request.encoding, 'data', rrType), meta: parseJson(request.meta, 'meta', rrType) };
  };
  switch (type) {
    case 'connect': {
      const request = decode('connect');
      const rawData = payloadBytes(request.data, request.b64data, 'data', rrType);
      return new ConnectEvent(request, metadata, { rawData, data: decodePayload(rawData, request.encoding, 'data', rrType) });
    }
    case 'refresh': {
      const request = decode('refresh');
      return new RefreshEvent(request, metadata, { meta: parseJson(request.meta, 'meta', rrType) });
    }
    case 'subscribe': {
      const request = decode('subscribe');
      return new SubscribeEvent(request, metadata, payloads(request));
    }
    case 'publish': {
      const request = decode('publish');
      return new PublishEvent(request, metadata, payloads(request));
    }
    case 'rpc': {
      const request = decode('rpc');
      return new RPCEvent(request, metadata, payloads(request));
    }
    case 'sub_refresh': {
      const request = decode('sub_refresh');
      return new SubRefreshEvent(request, metadata, { meta: parseJson(request.meta, 'meta', rrType) });
    }
  }
}

/** rr's context: the call's gRPC metadata as JSON, `{"key": ["value", ...], ...}`. */
function parseMetadata(context: Uint8Array): CentrifugoMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(context.buffer, context.byteOffset, context.byteLength).toString('utf8'));
  } catch (error) {
    throw new CentrifugoDecodeError(`the context is not JSON (${context.length} bytes)`, undefined, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CentrifugoDecodeError(`the context must be a JSON object of metadata, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
  }
  // Prototype-less: a metadata key such as `__proto__` or `constructor` stays an ordinary key.
  const metadata: Record<string, readonly string[]> = Object.create(null);
  for (const [key, values] of Object.entries(parsed)) {
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
      throw new CentrifugoDecodeError(`metadata ${JSON.stringify(key)} must be a list of strings`);
    }
    metadata[key] = Object.freeze(values as string[]);
  }
  return Object.freeze(metadata);
}

function requestTypeOf(metadata: CentrifugoMetadata): string {
  const values = metadata['type'];
  // rr appends its type to the metadata, so a forwarded header named "type" cannot shadow it.
  const type = values?.[values.length - 1];
  if (type === undefined) throw new CentrifugoDecodeError('the context has no request "type"');
  return type;
}
