import type { z } from 'zod';
import type { ConnectRequestMessage } from '../proto/proxy-v1.js';
import { CentrifugoEvent, parseWithSchema, type CentrifugoMetadata } from './centrifugo-event.js';
import type { ChannelsCapability, SubscribeOptions } from './result-options.js';

/** What a connect listener answers: who the client is and what it gets. */
export interface ConnectResult {
  /** The user id Centrifugo attaches to the connection; `''` is an anonymous user. */
  user: string;
  /** Unix time (seconds) when the connection expires; needs the refresh proxy. Default: never. */
  expireAt?: number | undefined;
  /** Connection info other clients see in presence and join/leave. JSON, or bytes. */
  info?: unknown;
  /** Initial data the client receives with its connect reply. JSON, or bytes. */
  data?: unknown;
  /** Channels the server subscribes the client to (server-side subscriptions). */
  channels?: readonly string[] | undefined;
  /** Server-side subscriptions with options, by channel. */
  subs?: Readonly<Record<string, SubscribeOptions>> | undefined;
  /** Connection meta, a JSON object passed to later proxy calls of this connection (`event.meta`). */
  meta?: unknown;
  /** Channel permissions of the connection. */
  caps?: readonly ChannelsCapability[] | undefined;
}

/**
 * A client connects without a Centrifugo token (the connect proxy). Authenticate it from its
 * `data` and answer with `respond({ user, data })`; with no answer the connection is refused
 * (disconnect 3507, permission denied).
 */
export class ConnectEvent extends CentrifugoEvent<ConnectRequestMessage, ConnectResult> {
  readonly type = 'connect' as const;
  /** The client's connect data: JSON decoded (bytes under `binary_encoding`), `undefined` when none. */
  readonly data: unknown;
  /** The client's connect data as bytes. */
  readonly rawData: Uint8Array;

  constructor(request: ConnectRequestMessage, metadata: CentrifugoMetadata, payload: { data: unknown; rawData: Uint8Array }) {
    super(request, metadata);
    this.data = payload.data;
    this.rawData = payload.rawData;
  }

  /** Client name and version the SDK reported (`name`, `version` options). */
  get clientName(): string {
    return this.request.name;
  }

  get clientVersion(): string {
    return this.request.version;
  }

  /** Channels the client asked to be subscribed to at connect. */
  get channels(): readonly string[] {
    return this.request.channels;
  }

  /** The connect data validated by a zod schema; refused data answers the client 107 (bad request). */
  parseData<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.data, 'data');
  }
}
