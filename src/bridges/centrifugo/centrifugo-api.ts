import { RpcConnectionError, RpcError, RpcTimeoutError } from '../../runtime/errors.js';
import { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { sharedRpcClient } from '../../runtime/rpc/shared-rpc-client.js';
import { CentrifugoApiConnectionError, CentrifugoApiError, CentrifugoApiReplyError, CentrifugoConfigError } from './errors.js';
import type { SubscribeOptionOverride } from './events/result-options.js';
import { encodePayload } from './payload.js';
import { API_METHODS, type ApiMethod, type ApiResponseMessage, type ApiResultMessages, type ClientInfoMessage } from './proto/api-v1.js';
import { decodeMessage, encodeMessage } from './proto/message-spec.js';

/** Options of {@link CentrifugoApi}. */
export interface CentrifugoApiOptions {
  /**
   * The RPC client to call rr through, shared with other code; the API never closes it. Default: its
   * own `RpcClient` (closed by {@link CentrifugoApi.close}), built from `address` and `timeoutMs`.
   */
  rpc?: RpcClient | undefined;
  /** rr's `rpc.listen` for the API's own RpcClient. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string | undefined;
  /** Per-call limit for the API's own RpcClient, in ms. Default the RpcClient's (30 s). */
  timeoutMs?: number | undefined;
}

/** Where a publication ended up in the channel's stream (history and recovery). */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

/** Options of {@link CentrifugoApi.publish} and {@link CentrifugoApi.broadcast}. */
export interface PublishOptions {
  /** Keep the publication out of the channel history. */
  skipHistory?: boolean | undefined;
  /** Tags delivered with the publication (clients may filter on them). */
  tags?: Readonly<Record<string, string>> | undefined;
  /** Centrifugo drops a second publication with the same key within a few minutes. */
  idempotencyKey?: string | undefined;
}

/** A client in a channel's presence. `connInfo`/`chanInfo` are decoded like publication data. */
export interface PresenceClient {
  user: string;
  client: string;
  connInfo: unknown;
  chanInfo: unknown;
}

/** A publication from a channel's history. */
export interface HistoryPublication {
  /** The data: parsed JSON, or the bytes when they are not JSON. */
  data: unknown;
  rawData: Uint8Array;
  /** Who published it, when a client did. */
  info: PresenceClient | undefined;
  offset: number;
  tags: Record<string, string>;
}

/** One channel's answer within a broadcast: its position, or Centrifugo's error for it. */
export type BroadcastOutcome = { ok: true; position: StreamPosition } | { ok: false; error: CentrifugoApiReplyError };

/**
 * Centrifugo's server API through rr's centrifuge plugin (`centrifuge.*` RPC methods, which rr
 * forwards to Centrifugo's gRPC API at `centrifuge.grpc_api_address`): publish to channels from
 * HTTP handlers, jobs and listeners, manage subscriptions and connections, read presence and
 * history. Data is sent as JSON (a `Uint8Array` as it is).
 *
 * Constructing it does no I/O: rr is dialed by the first call. Errors: `CentrifugoApiReplyError`
 * (Centrifugo refused: `replyCode` 102 unknown channel, 108 not available...),
 * `CentrifugoApiConnectionError` (rr unreachable, or rr could not reach Centrifugo), and
 * `CentrifugoApiError` for anything else rr answered.
 *
 * ```ts
 * const api = new CentrifugoApi();                    // RR_RPC inside a worker
 * await api.publish('chat:lobby', { text: 'hello' }); // { offset, epoch }
 * const { numClients } = await api.presenceStats('chat:lobby');
 * ```
 */
export class CentrifugoApi implements AsyncDisposable {
  /** The RPC client calls go through. */
  readonly rpc: RpcClient;
  readonly #ownsRpc: boolean;

  constructor(options: CentrifugoApiOptions = {}) {
    if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs >= 0)) {
      throw new CentrifugoConfigError(`CentrifugoApi option timeoutMs must be a number of milliseconds >= 0, got ${String(options.timeoutMs)}`);
    }
    ({ rpc: this.rpc, owned: this.#ownsRpc } = sharedRpcClient(options));
  }

  /** Publishes `data` into a channel; resolves with its position in the channel's stream. */
  async publish(channel: string, data: unknown, options: PublishOptions = {}): Promise<StreamPosition> {
    const result = await this.#call('publish', { channel, data: payload(data), ...publishOptions(options) });
    return { offset: result.offset, epoch: result.epoch };
  }

  /** Publishes the same `data` into several channels; one outcome per channel, in order. */
  async broadcast(channels: readonly string[], data: unknown, options: PublishOptions = {}): Promise<BroadcastOutcome[]> {
    const result = await this.#call('broadcast', { channels, data: payload(data), ...publishOptions(options) });
    return result.responses.map((response): BroadcastOutcome =>
      response.error
        ? { ok: false, error: new CentrifugoApiReplyError('broadcast', response.error.code, response.error.message) }
        : { ok: true, position: { offset: response.result?.offset ?? 0, epoch: response.result?.epoch ?? '' } },
    );
  }

  /** Subscribes a user's connections (or one `client`) to a channel, server-side. */
  async subscribe(
    user: string,
    channel: string,
    options: { client?: string; session?: string; info?: unknown; data?: unknown; expireAt?: number; override?: SubscribeOptionOverride; recoverSince?: StreamPosition } = {},
  ): Promise<void> {
    const override = options.override;
    await this.#call('subscribe', {
      user,
      channel,
      client: options.client,
      session: options.session,
      info: payload(options.info),
      data: payload(options.data),
      expireAt: options.expireAt,
      recoverSince: options.recoverSince,
      override:
        override === undefined
          ? undefined
          : Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined).map(([key, value]) => [key, { value }])),
    });
  }

  /** Unsubscribes a user's connections (or one `client`) from a channel. */
  async unsubscribe(user: string, channel: string, options: { client?: string; session?: string } = {}): Promise<void> {
    await this.#call('unsubscribe', { user, channel, client: options.client, session: options.session });
  }

  /**
   * Disconnects a user's connections (or one `client`), except the `whitelist`ed client ids. The
   * code and reason default to Centrifugo's own (3503 `force disconnect`: no reconnect).
   */
  async disconnect(user: string, options: { code?: number; reason?: string; client?: string; session?: string; whitelist?: readonly string[] } = {}): Promise<void> {
    const disconnect = options.code === undefined && options.reason === undefined ? undefined : { code: options.code ?? 0, reason: options.reason ?? '' };
    await this.#call('disconnect', { user, disconnect, client: options.client, session: options.session, whitelist: options.whitelist });
  }

  /** Extends (`expireAt`, unix seconds) or ends (`expired: true`) a user's connections. */
  async refresh(user: string, options: { client?: string; session?: string; expired?: boolean; expireAt?: number; info?: unknown } = {}): Promise<void> {
    await this.#call('refresh', {
      user,
      client: options.client,
      session: options.session,
      expired: options.expired,
      expireAt: options.expireAt,
      info: payload(options.info),
    });
  }

  /** Who is in a channel, by client id (the channel's namespace needs `presence: true`). */
  async presence(channel: string): Promise<Record<string, PresenceClient>> {
    const result = await this.#call('presence', { channel });
    const clients: Record<string, PresenceClient> = Object.create(null);
    for (const [id, info] of Object.entries(result.presence)) clients[id] = presenceClient(info);
    return clients;
  }

  /** How many clients and distinct users are in a channel. */
  async presenceStats(channel: string): Promise<{ numClients: number; numUsers: number }> {
    const result = await this.#call('presenceStats', { channel });
    return { numClients: result.numClients, numUsers: result.numUsers };
  }

  /**
   * A channel's history (its namespace needs `history_size` and `history_ttl`): the last `limit`
   * publications (0 = only the stream position), since a position, newest first with `reverse`.
   */
  async history(
    channel: string,
    options: { limit?: number; since?: StreamPosition; reverse?: boolean } = {},
  ): Promise<{ publications: HistoryPublication[]; position: StreamPosition }> {
    const result = await this.#call('history', { channel, limit: options.limit, since: options.since, reverse: options.reverse });
    return {
      publications: result.publications.map((publication) => ({
        data: decodeData(publication.data),
        rawData: publication.data,
        info: publication.info && presenceClient(publication.info),
        offset: publication.offset,
        tags: { ...publication.tags },
      })),
      position: { offset: result.offset, epoch: result.epoch },
    };
  }

  /** Empties a channel's history. */
  async historyRemove(channel: string): Promise<void> {
    await this.#call('historyRemove', { channel });
  }

  /** Active channels and their client counts, optionally matching a pattern (`chat:*`). */
  async channels(pattern = ''): Promise<Record<string, { numClients: number }>> {
    const result = await this.#call('channels', { pattern });
    const channels: Record<string, { numClients: number }> = Object.create(null);
    for (const [name, info] of Object.entries(result.channels)) channels[name] = { numClients: info.numClients };
    return channels;
  }

  /** The Centrifugo nodes: name, version, clients, users, channels, uptime. */
  async info(): Promise<ApiResultMessages['info']['nodes']> {
    return (await this.#call('info', {})).nodes;
  }

  /** Closes the API's own RPC connection (not a shared `rpc` given in the options). */
  async close(): Promise<void> {
    if (this.#ownsRpc) await this.rpc.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #call<M extends ApiMethod>(method: M, request: object): Promise<ApiResultMessages[M]> {
    const spec = API_METHODS[method];
    let bytes: Uint8Array;
    try {
      bytes = await this.rpc.callProto(spec.rpc, encodeMessage(spec.request, request));
    } catch (error) {
      if (error instanceof RpcConnectionError || error instanceof RpcTimeoutError) throw new CentrifugoApiConnectionError(method, error);
      // rr's own client to Centrifugo's gRPC API failed (Centrifugo down, wrong grpc_api_address).
      if (error instanceof RpcError && /code = (Unavailable|DeadlineExceeded)|not ready yet/.test(error.message)) throw new CentrifugoApiConnectionError(method, error);
      if (error instanceof RpcError) throw new CentrifugoApiError(method, error.message, { cause: error });
      throw error;
    }
    let response: ApiResponseMessage<ApiResultMessages[M]>;
    try {
      response = decodeMessage(spec.response, bytes);
    } catch (error) {
      throw new CentrifugoApiError(method, `rr answered with a malformed ${spec.response.name} (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
    }
    if (response.error !== undefined && response.error.code !== 0) throw new CentrifugoApiReplyError(method, response.error.code, response.error.message);
    // An empty result is left out on the wire: it decodes as the result message with its defaults.
    return response.result ?? decodeMessage(spec.result, EMPTY);
  }
}

const EMPTY = new Uint8Array(0);

function payload(value: unknown): Uint8Array | undefined {
  return encodePayload(value, 'data');
}

function publishOptions(options: PublishOptions): object {
  return { skipHistory: options.skipHistory, tags: options.tags, idempotencyKey: options.idempotencyKey };
}

function decodeData(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return bytes;
  }
}

function presenceClient(info: ClientInfoMessage): PresenceClient {
  return { user: info.user, client: info.client, connInfo: decodeData(info.connInfo), chanInfo: decodeData(info.chanInfo) };
}
